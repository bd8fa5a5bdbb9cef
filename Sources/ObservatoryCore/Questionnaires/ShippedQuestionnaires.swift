/// The questionnaires the site ships with, as JSON definitions (the same format as any
/// other version an editor adds). Each is read and checked by `Questionnaire.decode(json:)`.
public enum ShippedQuestionnaires {
    /// The case-study questionnaire: eight sections, limits as on the reference site.
    public static let caseStudy = """
{
  "key": "case-study",
  "version": 1,
  "title": "Case study questionnaire",
  "description": "Tell us about a public sector innovation: who runs it, what it does, how it came about and what was learned. You can save your answers at any step and come back later.",
  "sections": [
    {
      "id": "owner",
      "title": "Innovation owner",
      "intro": "Who is submitting this case, and how can we reach you?",
      "fields": [
        {
          "id": "public_employee",
          "kind": "yesNo",
          "label": "Are you a public employee involved in this innovation?",
          "required": true
        },
        {
          "id": "official_name",
          "kind": "shortText",
          "label": "Name of a public official we can contact",
          "required": true,
          "max": 200,
          "visibleWhen": {
            "field": "public_employee",
            "equals": [
              "no"
            ]
          },
          "help": "Cases are submitted with the agreement of the public organisation behind them."
        },
        {
          "id": "official_email",
          "kind": "email",
          "label": "Email address of that public official",
          "required": true,
          "visibleWhen": {
            "field": "public_employee",
            "equals": [
              "no"
            ]
          }
        },
        {
          "id": "your_name",
          "kind": "shortText",
          "label": "Your name",
          "required": true,
          "max": 200
        },
        {
          "id": "your_organisation",
          "kind": "shortText",
          "label": "Your organisation",
          "max": 200
        },
        {
          "id": "your_email",
          "kind": "email",
          "label": "Your email address",
          "required": true
        },
        {
          "id": "your_phone",
          "kind": "shortText",
          "label": "Your phone number",
          "max": 40,
          "example": "+33 1 23 45 67 89"
        },
        {
          "id": "collaborators_note",
          "kind": "guidance",
          "label": "You can invite colleagues to edit this draft with you from the summary page of your submission."
        }
      ]
    },
    {
      "id": "organisation",
      "title": "Organisation",
      "fields": [
        {
          "id": "organisation_name",
          "kind": "shortText",
          "label": "Name of the organisation behind the innovation",
          "required": true,
          "max": 200,
          "mapsTo": "organisation_name"
        },
        {
          "id": "organisation_type",
          "kind": "singleChoice",
          "label": "Type of organisation",
          "vocabulary": "organisation_type",
          "display": "select",
          "mapsTo": "organisation_type"
        },
        {
          "id": "country",
          "kind": "country",
          "label": "Country",
          "required": true,
          "mapsTo": "country_code"
        },
        {
          "id": "level_of_government",
          "kind": "singleChoice",
          "label": "Level of government",
          "required": true,
          "vocabulary": "level_of_government",
          "mapsTo": "level_of_government"
        },
        {
          "id": "level_of_government_other",
          "kind": "shortText",
          "label": "Which level of government?",
          "required": true,
          "max": 200,
          "visibleWhen": {
            "field": "level_of_government",
            "equals": [
              "Other"
            ]
          },
          "mapsTo": "level_of_government_other"
        },
        {
          "id": "primary_sectors",
          "kind": "terms",
          "label": "Primary sectors",
          "required": true,
          "min": 1,
          "vocabulary": "primary_sector",
          "help": "Choose every sector the innovation mainly serves.",
          "mapsTo": "primary_sectors"
        }
      ]
    },
    {
      "id": "summary",
      "title": "Summary",
      "fields": [
        {
          "id": "title",
          "kind": "shortText",
          "label": "Title of the innovation",
          "required": true,
          "max": 200,
          "example": "Open budget data for every municipality",
          "mapsTo": "title"
        },
        {
          "id": "website",
          "kind": "url",
          "label": "Website",
          "example": "https://example.org/our-project",
          "mapsTo": "website"
        },
        {
          "id": "year_launched",
          "kind": "year",
          "label": "Year the innovation was put into practice",
          "required": true,
          "min": 1950,
          "max": 2030,
          "mapsTo": "year_launched"
        },
        {
          "id": "short_explanation",
          "kind": "longText",
          "label": "Short and simple explanation",
          "required": true,
          "max": 500,
          "help": "Two or three sentences that anyone can understand.",
          "mapsTo": "short_explanation"
        },
        {
          "id": "peer_feedback",
          "kind": "yesNo",
          "label": "Would you like feedback from peers on this innovation?"
        },
        {
          "id": "overview",
          "kind": "longText",
          "label": "Overview",
          "required": true,
          "max": 5000,
          "help": "What the innovation is, the problem it addresses and how it works.",
          "mapsTo": "overview"
        },
        {
          "id": "innovation_tags",
          "kind": "terms",
          "label": "Innovation tags",
          "required": true,
          "min": 1,
          "max": 20,
          "vocabulary": "innovation_tag",
          "allowOther": true,
          "help": "Choose the tags that fit; you can add your own, one per line.",
          "mapsTo": "innovation_tags"
        }
      ]
    },
    {
      "id": "description",
      "title": "Description",
      "fields": [
        {
          "id": "what_makes_it_innovative",
          "kind": "longText",
          "label": "What makes your project innovative?",
          "required": true,
          "max": 1000,
          "mapsTo": "what_makes_it_innovative"
        },
        {
          "id": "innovation_status",
          "kind": "terms",
          "label": "Stage of innovation",
          "required": true,
          "min": 1,
          "vocabulary": "innovation_status",
          "help": "Choose every stage the innovation has gone through.",
          "mapsTo": "innovation_status"
        },
        {
          "id": "status_description",
          "kind": "longText",
          "label": "Where does the innovation stand now?",
          "required": true,
          "max": 1000,
          "mapsTo": "status_description"
        }
      ]
    },
    {
      "id": "development",
      "title": "Development",
      "fields": [
        {
          "id": "collaborations",
          "kind": "longText",
          "label": "Collaborations and partnerships",
          "required": true,
          "max": 500,
          "mapsTo": "collaborations"
        },
        {
          "id": "users_beneficiaries",
          "kind": "longText",
          "label": "Users, stakeholders and beneficiaries",
          "max": 500,
          "mapsTo": "users_beneficiaries"
        }
      ]
    },
    {
      "id": "reflections",
      "title": "Reflections",
      "fields": [
        {
          "id": "results",
          "kind": "longText",
          "label": "Results, outcomes and impacts",
          "required": true,
          "max": 1000,
          "mapsTo": "results"
        },
        {
          "id": "challenges",
          "kind": "longText",
          "label": "Challenges and failures",
          "required": true,
          "max": 1000,
          "mapsTo": "challenges"
        },
        {
          "id": "conditions_for_success",
          "kind": "longText",
          "label": "Conditions for success",
          "required": true,
          "max": 1000,
          "mapsTo": "conditions_for_success"
        },
        {
          "id": "replication",
          "kind": "longText",
          "label": "Replication",
          "required": true,
          "max": 1000,
          "help": "Has the innovation been replicated elsewhere, or could it be?",
          "mapsTo": "replication"
        },
        {
          "id": "lessons_learned",
          "kind": "longText",
          "label": "Lessons learned",
          "required": true,
          "max": 1000,
          "mapsTo": "lessons_learned"
        },
        {
          "id": "anything_else",
          "kind": "longText",
          "label": "Anything else you would like to tell us",
          "max": 1000,
          "mapsTo": "anything_else"
        }
      ]
    },
    {
      "id": "materials",
      "title": "Materials",
      "fields": [
        {
          "id": "related_url",
          "kind": "url",
          "label": "Another related link",
          "mapsTo": "related_url"
        },
        {
          "id": "images",
          "kind": "file",
          "label": "Images",
          "max": 10,
          "accept": [
            "image/jpeg",
            "image/png",
            "image/webp"
          ],
          "maxBytes": 5000000,
          "help": "JPEG, PNG or WebP, up to 5 MB each and 10 images."
        },
        {
          "id": "supporting_files",
          "kind": "file",
          "label": "Supporting documents",
          "max": 5,
          "accept": [
            "application/pdf"
          ],
          "maxBytes": 10000000,
          "help": "PDF, up to 10 MB each and 5 documents."
        },
        {
          "id": "video_urls",
          "kind": "group",
          "label": "Videos",
          "max": 5,
          "mapsTo": "video_urls",
          "fields": [
            {
              "id": "url",
              "kind": "url",
              "label": "Link to the video",
              "required": true,
              "example": "https://video.example/watch?v=123"
            }
          ]
        }
      ]
    },
    {
      "id": "feedback",
      "title": "Feedback",
      "fields": [
        {
          "id": "form_simplicity",
          "kind": "number",
          "label": "How simple was this form, from 1 (hard) to 10 (simple)?",
          "min": 1,
          "max": 10
        },
        {
          "id": "form_feedback",
          "kind": "longText",
          "label": "Anything we could do better?",
          "max": 2000
        },
        {
          "id": "newsletter",
          "kind": "yesNo",
          "label": "Would you like to receive our newsletter?"
        }
      ]
    }
  ]
}
"""

    /// A short tracker of crisis responses: other fields, the same engine.
    public static let crisisResponse = """
{
  "key": "crisis-response",
  "version": 1,
  "title": "Crisis response tracker",
  "description": "Share how your government responded to a crisis, so that others can learn from it quickly.",
  "sections": [
    {
      "id": "response",
      "title": "The response",
      "fields": [
        {
          "id": "title",
          "kind": "shortText",
          "label": "Name of the response",
          "required": true,
          "max": 200,
          "mapsTo": "title"
        },
        {
          "id": "country",
          "kind": "country",
          "label": "Country",
          "required": true,
          "mapsTo": "country_code"
        },
        {
          "id": "crisis",
          "kind": "singleChoice",
          "label": "Which crisis does it respond to?",
          "required": true,
          "display": "radio",
          "options": [
            {
              "value": "pandemic",
              "label": "Pandemic"
            },
            {
              "value": "natural-disaster",
              "label": "Natural disaster"
            },
            {
              "value": "displacement",
              "label": "Displacement of people"
            },
            {
              "value": "other",
              "label": "Another crisis"
            }
          ]
        },
        {
          "id": "crisis_other",
          "kind": "shortText",
          "label": "Which crisis?",
          "required": true,
          "max": 200,
          "visibleWhen": {
            "field": "crisis",
            "equals": [
              "other"
            ]
          }
        },
        {
          "id": "started_on",
          "kind": "date",
          "label": "Date the response started",
          "required": true
        },
        {
          "id": "description",
          "kind": "longText",
          "label": "What was done",
          "required": true,
          "max": 2000,
          "mapsTo": "overview"
        },
        {
          "id": "issues",
          "kind": "multipleChoice",
          "label": "Issues addressed",
          "min": 1,
          "required": true,
          "options": [
            {
              "value": "health",
              "label": "Health"
            },
            {
              "value": "economy",
              "label": "Economy"
            },
            {
              "value": "education",
              "label": "Education"
            },
            {
              "value": "services",
              "label": "Continuity of public services"
            },
            {
              "value": "communication",
              "label": "Public communication"
            }
          ]
        }
      ]
    },
    {
      "id": "contact",
      "title": "Contact",
      "fields": [
        {
          "id": "people_reached",
          "kind": "number",
          "label": "About how many people did it reach?",
          "min": 0,
          "max": 10000000000
        },
        {
          "id": "contacts",
          "kind": "group",
          "label": "People we can contact",
          "min": 1,
          "max": 5,
          "required": true,
          "fields": [
            {
              "id": "name",
              "kind": "shortText",
              "label": "Name",
              "required": true,
              "max": 200
            },
            {
              "id": "email",
              "kind": "email",
              "label": "Email address",
              "required": true
            }
          ]
        },
        {
          "id": "sources",
          "kind": "group",
          "label": "Links to sources",
          "max": 10,
          "fields": [
            {
              "id": "url",
              "kind": "url",
              "label": "Link",
              "required": true
            }
          ]
        }
      ]
    }
  ]
}
"""

    public static let all = [caseStudy, crisisResponse]
}
