# ruff: noqa: E501 - a web page puts each paragraph on one line, however long
"""TEST INPUTS ONLY: small texts cut down to the shape of each HMICFRS report layout.

Their findings and grades are written for the tests and are not HMICFRS text; they must never be
copied into fixtures/sources. Only the real seed texts in fixtures/sources/reports/ are data.
"""

from reports.importers.document import Cause

WEB_2016 = """Skip to content

Kent PEEL 2016

Effectiveness

How effective is the force at keeping people safe and reducing crime?

Last updated 02/03/2017
Good

Kent Police is good at keeping people safe and reducing crime.

The force works well with partner organisations.

Questions for Effectiveness

1

How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?

Good

The force is good at preventing crime.

It understands its communities.

Areas for improvement

  • The force should evaluate its problem-solving work.

2

How effective is the force at investigating crime and reducing re-offending?

Requires improvement

The force’s investigations require improvement.

Cause of concern

Too many investigations are not supervised.

Recommendations

To address this cause of concern the force should:

  • review its supervision of investigations; and
  • train its supervisors.

Areas for improvement

  • The force should ensure that:
    • evidence is gathered early;
    • victims are kept informed.
  • The force should reduce its backlog of digital devices.

Read the revisit report: PEEL: Police effectiveness 2016 (vulnerability) revisit – Kent Police
"""

WEB_2018_19 = """Skip to content

Suffolk PEEL 2018

Legitimacy

How legitimately does the force treat the public and its workforce?

Last updated 27/09/2019
Good

Suffolk Constabulary treats the public and its workforce legitimately.

Questions for Legitimacy

To what extent does the force treat all of the people it serves with fairness and respect?

Good

This question was not subject to detailed inspection in 2018/19. In 2017, we judged Suffolk Constabulary to be good at treating the public fairly.

How well does the force ensure that its workforce behaves ethically and lawfully?

Good

The force makes sure that its workforce behaves ethically and lawfully.

Areas for improvement

- The force should make sure its counter-corruption unit has enough trained staff.
- The force should monitor its vetting decisions for disproportionality.

To what extent does the force treat its workforce with fairness and respect?

Good

This question was not subject to detailed inspection in 2018/19. The judgment from 2017 is carried over.
"""

WEB_2021_22 = """Skip to content

PEEL 2021/22 Police effectiveness, efficiency and legitimacy

An inspection of Suffolk Constabulary

Published on: 14 July 2022

Contents

Overall summary

Our judgments

Our inspection assessed how good Suffolk Constabulary is in five areas of policing. We make graded judgments in four of these five areas as follows:

Outstanding
No areas
Good
Preventing crime and anti-social behaviour
Investigating crime
Adequate
Protecting vulnerable people
Requires improvement
Responding to the public
Inadequate
No areas

We also inspected how effective a service the force gives to victims of crime. We don’t make a graded judgment in this overall area.

HM Inspector’s observations

The force has made progress since our last inspection.

Providing a service to victims of crime

The force records crimes accurately.

Area for improvement

The force should make sure it assesses the needs of every victim.

Responding to the public

Requires improvement

Suffolk Constabulary requires improvement at responding to the public.

Cause of concern

The force doesn’t answer emergency and non-emergency calls quickly enough.

Recommendations

Within three months, the force should:

  • make sure it has enough call handlers at busy times; and
  • publish how quickly it answers calls.

Areas for improvement

  • The force should make sure it identifies repeat callers.
  • The force should review how it grades calls for service.

Preventing crime and anti-social behaviour

Good

Suffolk Constabulary is good at preventing crime and anti-social behaviour.

Investigating crime

Good

Suffolk Constabulary is good at investigating crime.

Area for improvement

The force should make sure investigations are supervised.

Protecting vulnerable people

Adequate

Suffolk Constabulary is adequate at protecting vulnerable people.

About the data

Data in this report is from a range of sources.
"""

WEB_2023_25 = """PEEL 2023–25 Police effectiveness, efficiency and legitimacy

An inspection of Cumbria Constabulary

Published on: 23 July 2024

Our judgments

We make graded judgments in three of these areas as follows:

Building, supporting and protecting the workforce: Outstanding
Investigating crime: Good
Responding to the public: Good

Cumbria Constabulary performs well in most areas.

Responding to the public

Good

Cumbria Constabulary is good at responding to the public.

Area for improvement

The force should make sure it answers non-emergency calls promptly.
"""

PDF_2016 = """ Introduction
As part of our annual inspections of police effectiveness, efficiency and legitimacy
(PEEL), HMIC assesses the effectiveness of police forces across England and Wales.
To answer this question HMIC explores two ‘core’ questions:
1. How effective is the force at preventing crime, tackling anti-social behaviour
and keeping people safe?
2. How effective is the force at investigating crime and reducing re-offending?
This report sets out our findings for Kent Police.
Other reports are on the HMIC website (www.justiceinspectorates.gov.uk/hmic/peel-assessments/peel2016/kent/).
PEEL: Police effectiveness 2016 – Kent Police
 Overview – How effective is the force at keeping
people safe and reducing crime?
Overall judgment 1
Good
Kent Police is good at keeping people safe and reducing crime. The force has a
sound problem-solving approach.

Overall summary
How effective is the force at preventing crime,
tackling anti-social behaviour and keeping people
safe?

Good

How effective is the force at investigating crime
and reducing re-offending?

Requires
improvement

1

HMIC judgments are outstanding, good, requires improvement and inadequate.
 The force works well with partner organisations to prevent crime and anti-social
behaviour.
PEEL: Police effectiveness 2016 – Kent Police

7

How effective is the force at preventing crime,
tackling anti-social behaviour and keeping people
safe?
The police’s ability to prevent crime is a principal measure of its effectiveness.
Summary of findings
Good
Kent Police is good at preventing crime. It has a mature and well-established problemsolving approach, which officers use every day.
It understands its communities.
Areas for improvement
•

The force should evaluate its problem-solving work and share what works
across its teams.
 How effective is the force at investigating crime and
reducing re-offending?
When a crime occurs, the public must have confidence that the police will
investigate it effectively.
PEEL: Police effectiveness 2016 – Kent Police

8

Summary of findings
Requires improvement
The force’s investigations require improvement.
Cause of concern
Too many investigations are not supervised.
Recommendation
To address this cause of concern the force should:
•

review its supervision of investigations; and

•

train its supervisors.

Areas for improvement
•

The force should ensure that:
•

evidence is gathered early;

•

victims are kept informed.

•

The force should reduce its backlog of digital devices.
 Next steps
HMIC assesses progress on causes of concern.
Annex A – About the data
Figure 1: Police-recorded crime rates
"""

# What question 2 says in both Kent 2016 texts, the web page and the PDF.
KENT_2016_QUESTION_2_CAUSES = (
    Cause(
        "Too many investigations are not supervised.",
        "To address this cause of concern the force should:",
        ("review its supervision of investigations; and", "train its supervisors."),
    ),
)
KENT_2016_QUESTION_2_AREAS_FOR_IMPROVEMENT = (
    "The force should ensure that:\nevidence is gathered early;\nvictims are kept informed.",
    "The force should reduce its backlog of digital devices.",
)
