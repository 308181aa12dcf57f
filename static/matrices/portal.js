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

  // In-place cell editing: Escape cancels; after a save (or cancel) focus goes
  // back to the cell's Edit link, so keyboard users keep their place.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const row = event.target.closest && event.target.closest("[data-edit-row]");
    const cancel = row && row.querySelector("[data-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    const target = document.querySelector("[data-focus-after-swap]");
    if (target) {
      target.removeAttribute("data-focus-after-swap");
      target.focus();
    }
  });
  // Cell editor: "Add another item" copies the party's empty item (the formset's
  // empty_form, in a <template>) and counts it in TOTAL_FORMS; focus goes to its
  // text. Without JavaScript the button submits the form and the server answers
  // with one more empty item, saving nothing.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-add-item]");
    const party = button && button.closest("[data-party-items]");
    const template = party && party.querySelector("template[data-item-template]");
    const list = party && party.querySelector("[data-item-list]");
    const total = party && party.querySelector("input[name$='-TOTAL_FORMS']");
    const max = party && party.querySelector("input[name$='-MAX_NUM_FORMS']");
    if (!template || !list || !total || !max) return;
    event.preventDefault();
    const index = Number(total.value);
    if (index < Number(max.value)) {
      const item = template.content.firstElementChild.cloneNode(true);
      for (const node of [item, ...item.querySelectorAll("*")]) {
        for (const attr of node.attributes) {
          if (attr.value.includes("__prefix__")) {
            node.setAttribute(attr.name, attr.value.replaceAll("__prefix__", String(index)));
          }
        }
      }
      item.querySelector("[data-item-label]").textContent = `Item ${index + 1}`;
      list.append(item);
      total.value = String(index + 1);
      if (window.htmx) window.htmx.process(item); // the live preview of the new text
      item.querySelector("textarea").focus();
    }
    if (Number(total.value) >= Number(max.value)) {
      button.hidden = true;
      party.querySelector("[data-items-full]").hidden = false;
    }
  });

  // A refused request (403, 500...) that htmx does not swap still says so.
  document.body.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    const text = status === 403 ? "You may not do that." : `The server answered ${status}.`;
    window.alert(`Not saved. ${text} Reload the page and try again.`);
  });

  // New provider: the slug follows the name until someone types in it. The
  // server makes the same slug from the name when the field is left blank.
  const slug = document.querySelector("[data-slug-from]");
  const slugSource = slug && slug.form.elements[slug.dataset.slugFrom];
  if (slugSource) {
    let followed = slug.value === "";
    slug.addEventListener("input", () => { followed = slug.value === ""; });
    slugSource.addEventListener("input", () => {
      if (!followed) return;
      slug.value = slugSource.value
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9_\s-]/g, "")
        .trim()
        .replace(/[-\s]+/g, "-")
        .slice(0, 80)
        .replace(/^[-_]+|[-_]+$/g, "");
    });
  }
});
