"""Flight check-in on any airline's website, through the snapshot and the model: no selectors per site.

The model gets the booking, the travellers as placeholders, and the rules of a check-in; the browser layer
fills the placeholders; the policy asks before the declaration and the final button. Nothing here names a site.
"""

from backend.skills.registry import SiteSkill, Skills


def register(skills: Skills) -> None:
    # Check-in knows no harmless writes and undoes nothing: a check-in is final, and asks first.
    skills.register(SiteSkill("checkin"))
