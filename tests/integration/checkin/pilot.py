"""A scripted model that checks in the way a capable model would: it reads the page it is shown and acts on
what it sees (no selectors, no knowledge of the site), writing placeholders for the travellers' details."""

import re
from dataclasses import dataclass, field

from tests.model_server import ModelRequest, text, tool_use

REF = r"\[(e\d+)\] "


def page_of(req: ModelRequest) -> str:
    """The page as the model knows it now: the last full snapshot with each later diff applied."""
    lines: list[str] = []
    for message in req.messages:
        if message["role"] != "user" or isinstance(message["content"], str):
            continue
        texts = [b.get("text", "") for b in message["content"] if b.get("type") == "text"]
        texts += [str(b.get("content", "")) for b in message["content"] if b.get("type") == "tool_result"]
        for view in (t for t in texts if "<untrusted>" in t):
            body = view[view.find("<untrusted>") + len("<untrusted>") : view.rfind("</untrusted>")].splitlines()
            if "lines removed (-) and added (+)" not in view:
                lines = body
                continue
            for line in body:
                if line.startswith("-") and line[1:] in lines:
                    lines.remove(line[1:])
                elif line.startswith("+"):
                    lines.append(line[1:])
    return "\n".join(lines)


def refs(page: str, role: str, name: str) -> list[str]:
    return re.findall(rf'{REF}{role} "{name}"', page)


@dataclass
class Pilot:
    code: str
    passengers: int
    seat: str = "window"
    seated: int = 0
    passes: int = 0
    # A careless model reaches for the paid extras once (a bag, a paid seat); the person says no.
    tempted: bool = False
    # The booking's last name as the instruction gave it; without it the traveller's placeholder is typed.
    last_name: str = ""
    tried: set[str] = field(default_factory=set)
    said: list[str] = field(default_factory=list)

    def temptation(self, page: str) -> str | None:
        """A paid extra on the page, named by a price, not yet reached for."""
        if not self.tempted:
            return None
        price = r"(?:€|\$|£|EUR|USD)\s?[1-9]"
        named = re.findall(rf'{REF}button "([^"]*{price}[^"]*)"', page)
        # A row of extras: "Checked bag, 20 kg | £28.00 | [e9] button "Add"".
        in_rows = [(ref, line) for line, ref in re.findall(rf'([^\n]*{price}[^\n]*?){REF}button "Add"', page)]
        for found in named + in_rows:
            kind = "bag" if re.search(r"(?i)bag", found[1]) else "seat"
            if kind not in self.tried:
                self.tried.add(kind)
                return found[0]
        return None

    def __call__(self, req: ModelRequest):
        page = page_of(req)
        self.said.append(page[:200])
        for name in ("Only necessary", "Reject all", "Necessary only"):
            if refs(page, "button", name):
                return text("Dismissing the cookie wall.") + tool_use("click", {"ref": refs(page, "button", name)[0]})
        code = refs(page, "textbox", "Booking (?:code|reference)")
        if code:
            last = refs(page, "textbox", "(?:Last name|Surname|Family name)")
            find = refs(page, "button", "(?:Find booking|Retrieve booking|Find my booking|Continue)")
            return (
                text("Finding the booking.")
                + tool_use("type_text", {"ref": code[0], "text": self.code})
                + tool_use("type_text", {"ref": last[0], "text": self.last_name or "{{traveller.last_name}}"})
                + tool_use("click", {"ref": find[0]})
            )
        for link in ("Start check-in", "Start again"):
            if refs(page, "link", link):
                return tool_use("click", {"ref": refs(page, "link", link)[0]})
        if re.search(r"(?i)who is travelling|select the passengers", page):
            boxes = re.findall(rf'{REF}checkbox "[^"]+"(?![^\n]*checked)', page)
            uses = text("Choosing every passenger.")
            for ref in boxes[: self.passengers]:
                uses += tool_use("check", {"ref": ref})
            return uses + tool_use("click", {"ref": refs(page, "button", "Continue")[0]})
        passports = refs(page, "textbox", "(?:Passport number|Document no\\.)")
        if passports:
            uses = text("Filling the passengers' documents.")
            who = ["traveller"] + [f"companion.{i}" for i in range(1, self.passengers)]
            for role, (kind, label) in [
                ("combobox", ("nationality", "(?:Nationality|Citizenship)")),
                ("textbox", ("passport_number", "(?:Passport number|Document no\\.)")),
                ("textbox", ("passport_expiry", '(?:Passport expiry date|Expiry date|Valid until)[^"]*')),
                ("textbox", ("date_of_birth", '(?:Date of birth|Born on)[^"]*')),
            ]:
                found = refs(page, role, label)
                for i, ref in enumerate(found[: self.passengers]):
                    hint = re.search(rf'{ref}\] \w+ "[^"]*\((DD/MM/YYYY|MM/DD/YYYY)\)', page)
                    fmt = f":{hint.group(1)}" if hint and kind != "nationality" else ""
                    placeholder = f"{{{{{who[i]}.{kind}{fmt}}}}}"
                    if role == "combobox":
                        uses += tool_use("select_option", {"ref": ref, "values": [placeholder]})
                    else:
                        uses += tool_use("type_text", {"ref": ref, "text": placeholder})
            return uses + tool_use("click", {"ref": refs(page, "button", "(?:Continue|Next|Save and continue)")[0]})
        paid = self.temptation(page)
        if paid:
            return text("Adding a paid extra.") + tool_use("click", {"ref": paid})
        for name in ("No thanks", "Continue without extras"):
            if refs(page, "button", name):
                return tool_use("click", {"ref": refs(page, "button", name)[0]})
        free = [
            (ref, code or row + letter, position)
            for ref, code, row, letter, position in re.findall(
                rf'{REF}button "(?:Seat (\w+)|Row (\d+) seat (\w)), (\w+), free"(?! disabled)', page
            )
        ]
        if free and self.seated < self.passengers:
            riders = re.findall(rf'{REF}radio "([^"]+)"', page)
            wanted = sorted(free, key=lambda f: f[2] != self.seat)[0]
            uses = text(f"Choosing free seat {wanted[1]}.")
            if riders and self.seated < len(riders):
                uses += tool_use("check", {"ref": riders[self.seated][0]})
            self.seated += 1
            return uses + tool_use("click", {"ref": wanted[0]})
        declaration = re.findall(rf'{REF}checkbox "([^"]*(?:dangerous goods|hazardous)[^"]*)"(?! checked)', page)
        if declaration and "checked" not in page.split(declaration[0][0])[1][:120].split("\n")[0]:
            return text("Declaring no dangerous goods.") + tool_use("check", {"ref": declaration[0][0]})
        final = refs(page, "button", "(?:Check in|Complete check-in)")
        if final:
            return text("Checking in.") + tool_use("click", {"ref": final[0]})
        if refs(page, "button", "Continue"):
            return tool_use("click", {"ref": refs(page, "button", "Continue")[0]})
        if refs(page, "link", "View boarding pass"):
            return tool_use("click", {"ref": refs(page, "link", "View boarding pass")[0]})
        downloads = re.findall(rf'{REF}(?:link|button) "(Download[^"]*PDF[^"]*)"', page)
        if downloads and self.passes < len(downloads):
            self.passes += 1
            return tool_use("download", {"ref": downloads[self.passes - 1][0]})
        return tool_use("finish_task", {"summary": "Checked in and saved the boarding passes."})
