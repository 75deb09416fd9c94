"""Import files as people really have them, built in code (no binary fixtures to rot)."""

LINKEDIN_PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing. You will only see email addresses for connections who have allowed their '
    'connections to see or download their email address."\r\n'
    "\r\n")
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def linkedin(rows: list[tuple]) -> bytes:
    """Today's Connections.csv: preamble, blank line, header; rows of 7 cells."""
    body = "".join(",".join(_quote(c) for c in row) + "\r\n" for row in rows)
    return (LINKEDIN_PREAMBLE + LINKEDIN_HEADER + body).encode("utf-8")


def linkedin_old(rows: list[tuple]) -> bytes:
    """The older export: no URL column, US dates with a time."""
    header = "First Name,Last Name,Email Address,Company,Position,Connected On\r\n"
    return (header + "".join(",".join(_quote(c) for c in row) + "\r\n" for row in rows)
            ).encode("utf-8")


GOOGLE_HEADER = ("First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
                 "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,"
                 "Organization Name,Organization Title,Organization Department,Birthday,Notes,"
                 "Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,"
                 "Phone 1 - Value")


def google(first, last, org, title, email) -> bytes:
    """Google Contacts' current CSV with one person."""
    cells = [first, "", last, "", "", "", "", "", "", "", org, title, "", "", "", "",
             "* myContacts", "* Work", email, "", ""]
    return (GOOGLE_HEADER + "\n" + ",".join(_quote(c) for c in cells) + "\n").encode()


def google_legacy(name, org, email) -> bytes:
    """Google's legacy CSV with one person."""
    header = ("Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,"
              "Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,"
              "Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
              "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,"
              "Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
              "Organization 1 - Type,Organization 1 - Name,Organization 1 - Title")
    first, last = name.split(" ", 1)
    cells = [name, first, "", last] + [""] * 24 + ["* My Contacts", "* Work", email, "",
                                                   org, ""]
    return (header + "\n" + ",".join(_quote(c) for c in cells) + "\n").encode()


def outlook(first, last, company, job, email, encoding: str) -> bytes:
    """Outlook's CSV export, in UTF-16 (with BOM) or Windows-1252."""
    header = ("First Name,Middle Name,Last Name,Title,Suffix,Initials,Web Page,Gender,"
              "Birthday,Anniversary,Location,Language,Internet Free Busy,Notes,"
              "E-mail Address,E-mail 2 Address,E-mail 3 Address,Primary Phone,Home Phone,"
              "Company,Department,Job Title")
    cells = [first, "", last, "", "", "", "", "", "", "", "", "", "", "", email, "", "", "",
             "", company, "", job]
    return (header + "\r\n" + ",".join(_quote(c) for c in cells) + "\r\n").encode(encoding)


def vcard(*cards: dict, version: str = "3.0") -> bytes:
    """A .vcf file with one card per dict (fn, email, org, title, url)."""
    out = []
    for card in cards:
        out += ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{card['fn']}",
                "N:{1};{0};;;".format(*card["fn"].split(" ", 1))]
        out += [f"EMAIL;TYPE=work:{card['email']}"] if card.get("email") else []
        out += [f"ORG:{card['org']}"] if card.get("org") else []
        out += [f"TITLE:{card['title']}"] if card.get("title") else []
        out += [f"URL:{card['url']}"] if card.get("url") else []
        out += ["END:VCARD"]
    return ("\r\n".join(out) + "\r\n").encode()


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell
