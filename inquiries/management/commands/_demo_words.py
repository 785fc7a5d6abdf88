"""The names, messages and timeline notes the demo inquiries are made of."""

from inquiries.models import Outcome

FIRST_NAMES = [
    "Aaliyah",
    "Andre",
    "Brianna",
    "Carlos",
    "Chloe",
    "Darnell",
    "Destiny",
    "Elena",
    "Gabriel",
    "Imani",
    "Isabella",
    "Jasmine",
    "Jordan",
    "Kayla",
    "Keisha",
    "Luis",
    "Madison",
    "Maria",
    "Mateo",
    "Maya",
    "Nadia",
    "Naomi",
    "Omar",
    "Priya",
    "Rachel",
    "Ricardo",
    "Samantha",
    "Sofia",
    "Tanisha",
    "Tyler",
    "Valeria",
    "Vanessa",
    "Xavier",
    "Yesenia",
    "Zoe",
]
LAST_NAMES = [
    "Acosta",
    "Baptiste",
    "Brooks",
    "Castillo",
    "Charles",
    "Cruz",
    "Delgado",
    "Dubois",
    "Ellis",
    "Fernandez",
    "Flores",
    "Garcia",
    "Gonzalez",
    "Hayes",
    "Herrera",
    "Jean-Louis",
    "Johnson",
    "Joseph",
    "Lopez",
    "Marte",
    "Medina",
    "Mendoza",
    "Morales",
    "Nguyen",
    "Ortiz",
    "Patel",
    "Perez",
    "Pierre",
    "Ramirez",
    "Reyes",
    "Rivera",
    "Rodriguez",
    "Santiago",
    "Torres",
    "Vargas",
    "Washington",
    "Williams",
]
AREA_CODES = ["407", "321", "689", "352", "863"]
MESSAGES = [
    "",
    "",
    "",
    "Do you have evening classes? I work days.",
    "Is financial aid available for this program?",
    "I would like to know when the next class starts.",
    "Can I visit the campus before I apply?",
    "How long is the externship and where would it be?",
    "I am deciding between phlebotomy and medical assisting.",
]
# What came of a first try, and what staff wrote about it.
ATTEMPT_NOTES = {
    Outcome.VOICEMAIL: "Left a voicemail introducing the program and start dates.",
    Outcome.NO_ANSWER: "No answer; will try again tomorrow morning.",
}
CALL_NOTES = [
    "Spoke for ten minutes about schedules and the externship.",
    "Talked through the admission requirements and next start.",
]
EMAIL_NOTES = [
    "Sent the program overview and the campus tour times.",
    "Sent the upcoming start dates and schedule options.",
]
TEXT_NOTES = ["Texted to confirm a good time to call.", "Texted a reminder about the tour."]
REPLY_NOTES = [
    "They replied: evenings suit them, asked about the externship.",
    "They replied asking for a call tomorrow after 5 pm.",
]
NOTES = [
    "Interested in the part-time evening schedule.",
    "Wants to talk with family before deciding.",
    "Asked about certification exams after graduating.",
    "Prefers to be reached after 5 pm.",
]
