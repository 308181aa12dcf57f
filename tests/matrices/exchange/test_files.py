"""Bad files are refused with precise problems, and nothing else."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from matrices.exchange.files import MAX_FILE_BYTES, read_csv, read_xlsx, write_xlsx
from matrices.exchange.longformat import COLUMNS, parse_rows
from matrices.exchange.problems import ImportProblems, Problem

HEADER = ",".join(COLUMNS)


GOOD = "Keys,Hosted,managed,Customer,customer,customer,Rotate keys."


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def problems_of(data: bytes) -> list[Problem]:
    with pytest.raises(ImportProblems) as raised:
        parse_rows(read_csv(data, filename="m.csv"), source="m.csv")
    return raised.value.problems


def only(data: bytes) -> Problem:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    return problems[0]


OWNERSHIPS = "provider, customer, shared, third-party, shared-third-party, n/a"


def xlsx_problems(data: bytes) -> list[Problem]:
    with pytest.raises(ImportProblems) as raised:
        read_xlsx(data, filename="m.xlsx")
    return raised.value.problems


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (
            "Keys,Hosted,managed,Customer,customer,mostly-them,x",
            "ownership",
            f"'mostly-them' is not one of {OWNERSHIPS}",
        ),
        (
            "Keys,Hosted,hosted,Customer,customer,customer,x",
            "offering_kind",
            "'hosted' is not one of self-managed, managed, byoc",
        ),
        (
            "Keys,Hosted,managed,Customer,owner,customer,x",
            "party_role",
            "'owner' is not one of customer, provider, cloud-provider, third-party",
        ),
        (
            "Keys,Hosted,managed,Customer,customer,,x",
            "ownership",
            f"is blank; it must be one of {OWNERSHIPS}",
        ),
        (" ,Hosted,managed,Customer,customer,customer,x", "domain", "must not be blank"),
        ("Keys,,managed,Customer,customer,customer,x", "offering", "must not be blank"),
        ("Keys,Hosted,managed,,customer,customer,x", "party", "must not be blank"),
        (
            "Keys,Hosted,managed,Customer,customer,customer,[maybe] x",
            "duty",
            "unknown marker '[maybe]' (the markers are [n/a], [advanced] and [scope: …]); "
            "write '\\[' for a text that starts with '['",
        ),
        (
            'Keys,Hosted,managed,Customer,customer,customer,"- a\n- [advanced] [n/a] b"',
            "duty",
            "item 2: markers go at most once each, in this order: [n/a] [advanced] [scope: …]",
        ),
        (
            "Keys,Hosted,managed,Customer,customer,customer,[scope: Console x",
            "duty",
            "[scope: is never closed with ']'",
        ),
        (
            "Keys,Hosted,managed,Customer,customer,customer,[n/a] [advanced] x",
            "duty",
            "[n/a] and [advanced] cannot be combined",
        ),
        (
            'Keys,Hosted,managed,Customer,customer,customer,"- a\nb"',
            "duty",
            "line 2 neither starts an item with '- ' nor continues one with two spaces of indent",
        ),
        (
            'Keys,Hosted,managed,Customer,customer,customer,"- a\n- [advanced]"',
            "duty",
            "item 2: an item needs text unless it is marked [n/a]",
        ),
        (
            'Keys,Hosted,managed,Customer,customer,customer,"- a\n- <script>x</script>"',
            "duty",
            "item 2: raw HTML is removed from duties, and nothing was left: "
            "write the item in Markdown, or mark it [n/a]",
        ),
        (
            "Keys,Hosted,managed,Customer,customer,customer,[advanced] <b></b>",
            "duty",
            "raw HTML is removed from duties, and nothing was left: "
            "write the item in Markdown, or mark it [n/a]",
        ),
    ],
)
def test_it_names_the_row_column_and_reason_of_a_bad_value(line, column, message):
    # Another domain, so that only the bad value is wrong with the row.
    assert only(csv_bytes(GOOD, line.replace("Keys,", "Logs,", 1))) == Problem(
        "m.csv", 3, column, message
    )


def test_it_refuses_an_offering_with_two_kinds():
    problem = only(csv_bytes(GOOD, "Logs,Hosted,byoc,Customer,customer,customer,x"))
    assert problem == Problem(
        "m.csv", 3, "offering_kind", "offering 'Hosted' is 'byoc' here but 'managed' on row 2"
    )


def test_it_refuses_a_party_with_two_roles():
    problem = only(csv_bytes(GOOD, "Logs,Hosted,managed,Customer,provider,customer,x"))
    assert problem == Problem(
        "m.csv",
        3,
        "party_role",
        "party 'Customer' has role 'provider' here but 'customer' on row 2",
    )


def test_it_refuses_two_ownerships_in_one_cell():
    problem = only(csv_bytes(GOOD, "Keys,Hosted,managed,Vendor,provider,shared,x"))
    assert problem == Problem(
        "m.csv",
        3,
        "ownership",
        "'shared' differs from 'customer' given for domain 'Keys', offering 'Hosted' on row 2",
    )


def test_it_refuses_a_duplicate_row():
    problem = only(csv_bytes(GOOD, "Keys,Hosted,managed,Customer,customer,customer,Again."))
    assert problem == Problem(
        "m.csv",
        3,
        None,
        "domain 'Keys', offering 'Hosted', party 'Customer' is already given on row 2",
    )


def test_it_collects_every_problem_before_refusing():
    problems = problems_of(
        csv_bytes(
            "Keys,Hosted,managed,Customer,customer,mostly-them,x",
            "Logs,Hosted,managed,Customer,customer,customer,x",
            "Keys,Other,hosted,Customer,customer,customer,x",
        )
    )
    assert [(p.row, p.column) for p in problems] == [(2, "ownership"), (4, "offering_kind")]


def test_str_of_a_problem_reads_as_a_sentence():
    problem = Problem("m.csv", 12, "ownership", "'mostly-them' is not one of x")
    assert str(problem) == "m.csv: row 12, column ownership: 'mostly-them' is not one of x"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER.replace(",party_role", ""), "missing column(s): party_role"),
        (HEADER + ",notes", "unexpected column(s): notes"),
        (
            "offering,domain,offering_kind,party,party_role,ownership,duty",
            f"the columns must come in this order: {HEADER}",
        ),
    ],
)
def test_it_refuses_a_wrong_header(header, message):
    assert only(csv_bytes(GOOD, header=header)) == Problem("m.csv", 1, None, message)


def test_it_refuses_a_row_with_too_many_values():
    assert only(csv_bytes(GOOD + ",extra")) == Problem(
        "m.csv", 2, None, "has 8 values; the header has 7 columns"
    )


def test_it_accepts_utf8_with_and_without_bom():
    data = csv_bytes("Clés,Hosted,managed,Customer,customer,customer,Rotate keys.")
    for variant in (data, b"\xef\xbb\xbf" + data):
        assert read_csv(variant, filename="m.csv")[0][1]["domain"] == "Clés"


def test_it_refuses_latin1_naming_the_row_and_column_of_the_first_bad_byte():
    data = csv_bytes(GOOD, "Keys,Hosted,managed,Customer,customer,customer,Caf\xe9").replace(
        "é".encode(), b"\xe9"
    )
    offset = data.index(b"\xe9")
    assert only(data) == Problem(
        "m.csv",
        3,
        "duty",
        f"the file is not UTF-8 text (byte 0xe9 at offset {offset}); save it as CSV UTF-8",
    )


def test_it_refuses_more_than_ten_thousand_rows():
    lines = [f"D{n},Hosted,managed,Customer,customer,customer,x" for n in range(10_001)]
    assert only(csv_bytes(*lines)) == Problem(
        "m.csv", None, None, "the file has more than 10,000 rows; at most 10,000 are accepted"
    )


def test_it_accepts_ten_thousand_rows():
    lines = [f"D{n},Hosted,managed,Customer,customer,customer,x" for n in range(10_000)]
    assert len(read_csv(csv_bytes(*lines), filename="m.csv")) == 10_000


@pytest.mark.parametrize("read", [read_csv, read_xlsx])
def test_it_refuses_a_file_over_five_megabytes(read):
    data = csv_bytes(GOOD).ljust(MAX_FILE_BYTES + 1, b" ")
    with pytest.raises(ImportProblems) as raised:
        read(data, filename="big")
    assert raised.value.problems == [
        Problem(
            "big", None, None, "the file is 5,242,881 bytes; at most 5,242,880 (5 MB) are accepted"
        )
    ]


def test_it_reads_a_file_of_exactly_five_megabytes():
    data = csv_bytes(GOOD)
    data += b"\n" * (MAX_FILE_BYTES - len(data))  # blank rows are skipped
    assert len(data) == MAX_FILE_BYTES
    assert len(read_csv(data, filename="m.csv")) == 1


def test_it_refuses_a_zip_bomb_before_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"<" * (1024 * 1024)
            for _ in range(60):
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 200_000
    [problem] = xlsx_problems(data)
    assert problem.message.startswith("would expand to 62,914,568 bytes; at most 52,428,800")
    assert "zip bomb" in problem.message


def test_it_refuses_a_member_that_expands_absurdly():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/blank.bin", b"\0" * (10 * 1024 * 1024))
    [problem] = xlsx_problems(buffer.getvalue())
    assert problem.message.startswith("part 'xl/media/blank.bin' would expand")
    assert "zip bomb" in problem.message


def test_it_refuses_a_workbook_with_an_xml_entity():
    good = write_xlsx([dict(zip(COLUMNS, GOOD.split(","), strict=True))])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/workbook.xml":
                content = (
                    b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>' + content
                )
            target.writestr(member, content)
    assert xlsx_problems(buffer.getvalue()) == [
        Problem(
            "m.xlsx",
            None,
            None,
            "part 'xl/workbook.xml' declares a DOCTYPE or entities; "
            "workbooks with XML declarations are refused",
        )
    ]


def test_it_refuses_a_file_that_is_not_a_workbook():
    assert xlsx_problems(csv_bytes(GOOD)) == [
        Problem("m.xlsx", None, None, "is not an XLSX workbook (it is not a zip archive)")
    ]


def test_xlsx_gets_the_same_header_and_row_checks():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["domain", "offering"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert xlsx_problems(buffer.getvalue()) == [
        Problem(
            "m.xlsx",
            1,
            None,
            "missing column(s): offering_kind, party, party_role, ownership, duty",
        )
    ]
