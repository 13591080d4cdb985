"""The PLOVER categories and modes marsad codes, each with a one-line definition.

This is the single place that lists them: the trigger lexicon, the coder and the evaluation all
check their labels against `CATEGORIES` and `MODES`, so a typo in a data file fails at load time
instead of producing an event type nobody reads. The set is the 16 event categories of the PLOVER
codebook as used by POLECAT; modes are the sub-types the text can state (how an attack was made,
what kind of aid was sent). Definitions paraphrase the codebook in one line each.
"""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "AGREE": "agree to, sign or ratify an agreement, settle a dispute",
    "CONSULT": "meet, visit, phone or negotiate with another actor",
    "SUPPORT": "express support, praise, endorse or thank another actor",
    "CONCEDE": "yield: ease restrictions or sanctions, change policy, resign, apologise",
    "COOPERATE": "cooperate or coordinate in practice (joint exercises, shared projects, ties)",
    "AID": "provide material aid: weapons, money, relief supplies, intelligence",
    "RETREAT": "withdraw forces, release captives, return territory, disarm, cease fire",
    "REQUEST": "ask, call on or appeal to another actor to do something",
    "ACCUSE": "condemn, criticise, blame or accuse another actor; open an investigation",
    "REJECT": "refuse, deny, veto or dismiss a demand, proposal or allegation",
    "THREATEN": "threaten force, sanctions or other coercion, issue an ultimatum",
    "PROTEST": "demonstrate, strike, boycott or protest collectively",
    "SANCTION": "impose sanctions or embargoes, expel diplomats, cut or suspend relations",
    "MOBILIZE": "deploy or mass troops, police or weapons; raise alert levels",
    "COERCE": "arrest, detain, seize, ban, deport, impose curfews or restrictions",
    "ASSAULT": "use physical violence: strikes, shelling, shooting, bombing, assassination",
}

# Modes per category: mode -> one-line definition. A category absent here has no modes.
MODES: dict[str, dict[str, str]] = {
    "CONSULT": {
        "visit": "one side travels to the other",
        "phone": "a call or video conference",
        "multilateral": "a summit or conference of three or more parties",
        "third-party": "talks mediated or hosted by a third party",
    },
    "AGREE": {
        "treaty": "a signed or ratified agreement, treaty or memorandum",
        "settle": "a settlement, truce deal or reconciliation",
    },
    "SUPPORT": {
        "praise": "praise or thanks",
        "endorse": "declared backing for an actor or position",
    },
    "CONCEDE": {
        "ease-sanctions": "lift or ease sanctions",
        "ease-restrictions": "lift a curfew, ban or blockade",
        "policy": "change a policy or grant a demand",
        "resign": "an official steps down",
        "apologize": "an apology",
    },
    "COOPERATE": {
        "military": "joint exercises, military coordination",
        "economic": "trade, investment or economic coordination",
        "diplomatic": "establish or restore diplomatic ties",
        "intelligence": "security or intelligence coordination",
    },
    "AID": {
        "military": "weapons, ammunition, military equipment or troops sent to help",
        "economic": "money, loans, grants, fuel",
        "humanitarian": "food, medicine, shelter, relief",
        "intelligence": "shared intelligence or information",
    },
    "RETREAT": {
        "withdraw": "forces pull back or leave",
        "release": "prisoners or hostages set free",
        "return": "territory or property handed back",
        "disarm": "weapons surrendered or destroyed",
        "ceasefire": "a side stops firing",
    },
    "REQUEST": {
        "aid": "ask for material help",
        "negotiate": "ask for talks or mediation",
        "policy": "ask for a change of policy or action",
        "release": "ask for captives to be released",
        "ceasefire": "call for a ceasefire or calm",
    },
    "ACCUSE": {
        "disapprove": "condemn or criticise",
        "allege": "accuse of a specific act",
        "investigate": "open an investigation or inquiry",
    },
    "REJECT": {
        "deny": "deny an allegation or report",
        "refuse": "refuse a demand, proposal or request",
        "veto": "veto or block a decision",
    },
    "THREATEN": {
        "military": "threaten force or retaliation",
        "sanctions": "threaten sanctions or other non-military punishment",
        "ultimatum": "a deadline with a threatened consequence",
    },
    "PROTEST": {
        "demonstrate": "a march, rally, sit-in or demonstration",
        "strike": "a labour strike or walk-out",
        "hunger-strike": "a hunger strike",
        "boycott": "a boycott",
        "riot": "violent unrest by protesters",
    },
    "SANCTION": {
        "embargo": "economic sanctions, embargo, asset freeze",
        "expel": "expel diplomats or nationals",
        "break-relations": "sever, downgrade or suspend relations, recall an ambassador",
        "convict": "sentence or convict by a court",
    },
    "MOBILIZE": {
        "troops": "deploy or mass soldiers",
        "weapons": "deploy or move weapons systems",
        "police": "deploy security forces",
        "alert": "raise alert levels, call up reserves",
    },
    "COERCE": {
        "arrest": "arrest or detain people",
        "seize": "seize property, ships or territory",
        "restrict": "curfew, ban, blockade, closure",
        "deport": "deport or expel people",
        "censor": "censor or shut down media",
    },
    "ASSAULT": {
        "aerial": "air strikes, drone strikes",
        "shelling": "artillery, rocket or missile fire",
        "firearms": "shooting with small arms",
        "explosives": "bombs, IEDs, suicide attacks",
        "assassinate": "targeted killing of a named person",
        "abduct": "kidnapping or hostage taking",
        "primitive": "beating, stabbing, storming",
    },
}

MODALITIES = ("asserted", "possible", "future", "denied", "hypothetical")


def check_label(category: str, mode: str | None) -> str | None:
    """An error message if `category`/`mode` is not in the codebook, else None."""
    if category not in CATEGORIES:
        return f"unknown PLOVER category {category!r}; valid: {', '.join(CATEGORIES)}"
    if mode is not None and mode not in MODES.get(category, {}):
        valid = ", ".join(MODES.get(category, {})) or "none"
        return f"unknown mode {mode!r} for {category}; valid: {valid}"
    return None
