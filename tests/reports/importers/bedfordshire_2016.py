"""Ground truth for the Bedfordshire PEEL 2016 effectiveness report, written out by hand from the
HMICFRS web page, which both seed layouts (web page and PDF text) must reproduce."""

from datetime import date
from pathlib import Path

REPORTS_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "sources" / "reports"
WEB = REPORTS_DIR / "bedfordshire-2016-effectiveness.txt"
PDF = REPORTS_DIR / "bedfordshire-2016-effectiveness.pdf.txt"

LAST_UPDATED = date(2017, 3, 2)
GRADES = {
    "overall-effectiveness": "Inadequate",
    "e1": "Inadequate",
    "e2": "Requires improvement",
    "e3": "Inadequate",
    "e4": "Requires improvement",
    "e5": "Ungraded",
}
CAUSES = [
    (
        "e1",
        "Community policing teams in Bedfordshire are not well enough resourced to prevent crime and anti-social behaviour "
        "effectively.",
        "To address this cause of concern the force must immediately take steps to:",
        [
            "increase the number of officers and staff carrying out active preventative policing and problem-solving "
            "activity; and",
            "monitor the effect of this increase to ensure that it improves the quality of service provided to the public.",
        ],
    ),
    (
        "e3",
        "The force’s response to missing and absent children and young people – and in particular the way it determines "
        "whether a case should be treated as ‘missing’ or ‘absent’ – is exposing some children and young people to potential "
        "risk of harm.",
        "To address this cause of concern the force should:",
        [
            "immediately review its approach to reports of missing children and ensure they risk assess them correctly and "
            "respond appropriately.",
        ],
    ),
]
AREAS_FOR_IMPROVEMENT = {
    "e1": [
        "The force should work with local people and partner organisations to improve its understanding of local communities, "
        "including those, such as migrant communities or elderly people, who are less likely to complain or take part in "
        "traditional forms of engagement.",
        "The force should review how it records anti-social behaviour to ensure that it has an accurate picture to inform a "
        "more structured and consistent problem-solving approach, so that it can identify worsening behaviour and provide "
        "effective interventions to protect vulnerable victims.",
    ],
    "e2": [
        "Where victims of common assault have withdrawn their support for prosecution and they are identified as vulnerable, "
        "the police should pursue action against the perpetrator.",
        "The force should ensure that it responds with appropriate promptness to reports of crime.",
        "The force should ensure that all evidence is retrieved at the earliest opportunity, to increase the likelihood of "
        "investigations being concluded successfully, providing appropriate support to inexperienced officers as necessary.",
        "The force should ensure that there is regular and active supervision of investigations to improve quality and progress.",
        "The force should improve its ability to retrieve digital evidence from mobile phones, computers and other electronic "
        "devices quickly enough to ensure that investigations are not delayed.",
    ],
    "e3": [
        "The force should make better use of trigger plans for persistently missing children, adults, and children at risk of "
        "sexual exploitation, to improve the force response.",
        "The force should provide DASH training to frontline staff to improve the quality of the assessments and ensure an "
        "improved quality of service to victims.",
        "The force should ensure that it has sufficient resources in the domestic abuse Emerald team to deal effectively with "
        "demand and provide specialist training to staff to increase the specialist capability.",
        "The force should ensure that it understands and addresses the cause of the decline in the arrest rate and the high "
        "outcome rate where the victim does not support police action.",
    ],
    "e4": [
        "The force should further develop its serious and organised crime local profile in conjunction with partner "
        "organisations to enhance its understanding of the threat posed by serious and organised crime and to provide the "
        "basis for joint activity aimed at reducing this threat.",
        "The force should ensure that it maps all organised crime groups promptly following identification and re-assesses "
        "them at regular intervals in line with national standards.",
        "The force should improve the awareness of organised crime groups among neighbourhood teams, to ensure that they can "
        "reliably identify these groups, collect intelligence, and disrupt their activity.",
        "The force should improve its understanding, across the government’s national 4P framework, of the impact of its "
        "activity against serious and organised crime, and ensure that it learns from experience to maximise the force’s "
        "disruptive effect on this activity.",
        "The force should complete an action plan to make maximum use of regional organised crime unit (ROCU) capabilities, "
        "minimise duplication at force level, and ensure that the use of shared ROCU resources is prioritised effectively "
        "between forces in the Eastern region.",
        "The force should enhance its approach to the ‘lifetime management’ of organised criminals to minimise the risk they "
        "pose to local communities. This approach should include routine consideration of ancillary orders, and the use of "
        "partner agency powers and other tools to deter organised criminals from continuing to offend.",
    ],
    "e5": [
        "The forces in the strategic alliance should ensure that:\n"
        "question prompts for call takers are sufficient to support them in the event of a marauding terrorist firearms attack;\n"
        "control room staff take part in local and regional exercises to test the control room response; and\n"
        "control room inspectors have access to more concise instructions and memorandums.",
    ],
}
# Where the PDF's own words differ from the web page's (HMICFRS published both; the importer keeps each faithful).
PDF_WORDING = {
    "‘lifetime management’": "'lifetime management'",
    "in response to the Strategic Policing Requirement": "in response to The Strategic Policing Requirement",
    "and it is making progress": "and it making progress",
}
