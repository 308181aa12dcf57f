// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Print buttons on the customer checklist.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  // Compare page: the "only rows that differ" toggle filters in place. Without
  // JavaScript the same checkbox is submitted with the form and the server
  // renders the table with the same class.
  const toggle = document.querySelector("[data-only-diff]");
  const table = document.querySelector("[data-compare-table]");
  if (toggle && table) {
    toggle.addEventListener("change", () => {
      table.classList.toggle("only-diff", toggle.checked);
      const url = new URL(window.location.href);
      if (toggle.checked) url.searchParams.set("only_diff", "on");
      else url.searchParams.delete("only_diff");
      window.history.replaceState(null, "", url);
    });
  }
});
