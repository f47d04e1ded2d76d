"""The words the builder generates, in the workshop's language (program.language).

Used by every stage that writes text of its own: the pipeline's template context, CE credit
wording, APA references and the handout writer. Dates, times and numbers go through Babel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from builder.locale_data import preload

ENGLISH = {
    # slides and handout headings
    "disclosures": "Disclosures",
    "disclosure": "Disclosure",
    "commercial_support": "Commercial support for this program: {who}.",
    "commercial_support_label": "Commercial support",
    "no_commercial_support": "none",
    "continuing_education": "Continuing education",
    "objectives": "Learning objectives",
    "objectives_lead": "By the end of this workshop, you will be able to:",
    "agenda": "Agenda",
    "time": "Time",
    "segment": "Segment",
    "minutes_heading": "Minutes",
    "ce_credit": "CE credit",
    "no_credit": "no CE credit",
    "part": "Part {n}",
    "minutes": "{n} minutes",
    "sources": "Sources",
    "source": "Source",
    "research": "What the research says",
    "limits": "Limits of the evidence",
    "takeaways": "Key takeaways",
    "references": "References",
    "closing": "Evaluation and certificate",
    "accommodations": "Accommodations: {text}",
    "grievances": "Concerns or grievances: {text}",
    "case": "Case: {title}",
    "case_questions": "Case: {title}, questions for discussion",
    "activity": "Activity: {title}",
    "reflection": "Reflection: {title}",
    "in_words": "In {name}’s words",
    "quote_from": "Quote: {who}",
    "continued": "(cont.)",
    "continued_n": "(cont. {n})",
    "break_back": "Break, back at {time}",
    "break": "Break",
    "back_at": "{title}, back at {time}",
    "key_points": "{title}: key points",
    "presenters": "Presenters",
    "presenter": "Presenter",
    # speaker notes
    "welcome_note": "Welcome participants. Total time {minutes} minutes; {credits}.",
    "disclosure_note": "Read each disclosure aloud before any content, as CE rules require.",
    "approval_note": "Approval statements are read verbatim.",
    "objectives_note": "Each objective has a matching item on the evaluation form.",
    "agenda_note": "Total {total} minutes, of which {credit} earn credit.",
    "quote_note": "Pause after the quote and invite reactions.",
    "case_questions_note": "Give pairs a few minutes with these questions, "
    "then take two or three answers.",
    "discussion_note": "Invite answers from several participants before moving on.",
    "activity_note": "Activity: {minutes} minutes. Keep time and give a one-minute warning.",
    "takeaways_note": "Summarize in one minute; invite last questions.",
    "references_note": "Full references are in the handout.",
    "closing_note": "Thank participants, point to the evaluation form, "
    "and remind them how certificates are issued.",
    "section_note": "Section: {title}. {minutes} minutes.",
    "section_note_no_credit": "Section: {title}. {minutes} minutes, no CE credit.",
    "timing_note": "{start}–{end}",
    "break_note": "Break: {minutes} minutes. Restart on time.",
    # CE facts
    "non_credit_notice": "Agenda items marked as not earning credit (such as breaks) "
    "do not count toward CE credit.",
    "credit_one": "{n} CE credit ({minutes} instructional minutes)",
    "credit_many": "{n} CE credits ({minutes} instructional minutes)",
    "ce_credits": "CE credits",
    "ce_credits_one": "CE credit",
    "offers": "This program offers {credits}.",
    "by_body": "Credits by accrediting body: {list}.",
    "no_approvals": "{provider} lists no accrediting body for this program yet; approval "
    "statements appear here once the provider’s kit names them.",
    "attendance": "Attendance and certificates",
    "accommodations_heading": "Accommodations",
    "grievances_heading": "Grievances",
    "refunds": "Refunds and cancellations",
    # the handout's facts
    "label": "{label}:",
    "date": "Date",
    "format": "Format",
    "credits": "Credits",
    "provider": "Provider",
    "about": "About this program",
    "audience": "Audience",
    "level": "Level",
    "level_introductory": "Introductory",
    "level_intermediate": "Intermediate",
    "level_advanced": "Advanced",
    "format_in_person": "In-person",
    "format_webinar": "Live interactive webinar",
    "format_self_study": "Self-study",
    "yes": "Yes",
    "no": "No",
    "page": "Page {page}",
    "page_of": "Page {page} of {pages}",
    "draft": "DRAFT",
    "notes": "Notes",
    # the facilitator guide
    "guide_title": "Facilitator guide",
    "run_sheet": "Run sheet",
    "start_heading": "Start",
    "section_heading": "Section",
    "objectives_served": "Objectives",
    "materials_setup": "Materials and setup",
    "setup": "Room setup",
    "total_minutes": "{n} minutes in all",
    "before_session": "Before the session",
    "slide_by_slide": "Slide by slide",
    "slides_title": "Slides",
    "slide_number": "Slide {n}",
    "speaker_notes": "Speaker notes",
    "cue_by": "By {time} you should be here",
    "notes_lines": "Notes",
    "materials_checklist": "Materials checklist",
    "checklist_handouts": "Printed handouts",
    "checklist_sign_in": "Sign-in sheet",
    "checklist_evaluations": "Evaluation forms",
    "checklist_handout_file": "Handout file to share",
    "checklist_attendance": "Attendance record",
    "checklist_evaluation_link": "Evaluation form link",
    # references (APA 7)
    "no_date": "n.d.",
    "et_al": "et al.",
    "quoted": "“{text}”",
    # certificates of attendance
    "certificate_title": "Certificate of Attendance",
    "certificates_title": "certificates of attendance",
    "certifies": "This certifies that",
    "attended_program": "attended the continuing education program",
    "presented_by": "Presented by {names}",
    "accrediting_body": "Accrediting body",
    "unit": "Unit",
    "credit_type": "Credit type",
    "not_awarded": "not awarded",
    "license": "License: {license}",
    "certificate_id": "Certificate ID: {id}",
    "date_of_issue": "Date of issue: {date}",
    # the evaluation form
    "evaluation_title": "Program evaluation",
    "evaluation_lead": "Rate each statement from 5 (strongly agree) to 1 (strongly disagree), "
    "then answer the questions below. Your answers help us improve this program.",
    "evaluation_policy": "Complete the evaluation form before you leave; certificates are issued "
    "after verified attendance and a completed evaluation.",
    "attendance_policy": "Full attendance is required to earn credit; partial credit is not awarded.",
    "name": "Name",
    "scale_5": "Strongly agree",
    "scale_4": "Agree",
    "scale_3": "Neutral",
    "scale_2": "Disagree",
    "scale_1": "Strongly disagree",
    "objectives_rating": "Based on the content of this workshop:",
    "able_to": "I am able to {objective}",
    "evaluation_program": "The program",
    "evaluation_statement": "Statement",
    "item_description": "The content matched the program’s description.",
    "item_knowledge": "{name} was knowledgeable about the subject.",
    "item_teaching": "{name} taught the content effectively.",
    "item_relevance": "The content is relevant to my practice.",
    "item_level": "The content suited its stated level ({level}).",
    "item_materials": "The slides and handout supported my learning.",
    "item_facility": "The facility and any accommodations I requested met my needs.",
    "item_platform": "The online platform and any accommodations I requested met my needs.",
    "item_bias": "The program was free of commercial bias.",
    "item_overall": "Overall, the program was of high quality.",
    "evaluation_comments": "Your comments",
    "question_useful": "What was most useful to you?",
    "question_practice": "How will you use what you learned in your practice?",
    "question_improve": "What would you change or improve?",
    "question_bias": "If you noticed commercial bias or the promotion of a product or service, "
    "please describe it.",
    "question_topics": "What topics would you like future programs to cover?",
    "question_comments": "Other comments",
    "approval": "Approval",
    "approval_number": "{body} (No. {number})",
    "no_approval_listed": "no accrediting body listed yet",
    # the sign-in sheet
    "signin_title": "Sign-in sheet",
    "signin_for": "Sign-in sheet: {date}",
    "signin_lead": "Print your name and license as they should appear on your certificate, sign, "
    "and write the time you arrive and the time you leave.",
    "program_hours": "Program times: {start}–{end}",
    "no_credit_items": "No CE credit: {list}.",
    "col_name": "Name (print)",
    "col_license_type": "License type",
    "col_license_number": "License no.",
    "col_state": "State",
    "col_email": "E-mail",
    "col_signature": "Signature",
    "col_time_in": "Time in",
    "col_time_out": "Time out",
    # the Housekeeping slide of the example override (templates/deck.xml.j2)
    "housekeeping": "Housekeeping",
    "housekeeping_breaks": "Breaks: {list}",
    "housekeeping_no_breaks": "No scheduled break: step out whenever you need to.",
    "housekeeping_restrooms": "Restrooms and emergency exits: we will show you where they are.",
    "housekeeping_phones": "Please silence your phone and notifications.",
    "housekeeping_questions": "Questions are welcome: use the chat or raise your hand.",
    "housekeeping_sign_in": "Sign in when you arrive and sign out when you leave: the sign-in "
    "sheet records your attendance for CE credit.",
    "housekeeping_note": "Take a minute for these points, and invite anyone who needs an "
    "accommodation to tell you privately.",
}

SPANISH = {
    "disclosures": "Declaraciones de intereses",
    "disclosure": "Declaración de intereses",
    "commercial_support": "Patrocinio comercial de este programa: {who}.",
    "commercial_support_label": "Patrocinio comercial",
    "no_commercial_support": "ninguno",
    "continuing_education": "Educación continua",
    "objectives": "Objetivos de aprendizaje",
    "objectives_lead": "Al finalizar este taller, usted podrá:",
    "agenda": "Programa",
    "time": "Hora",
    "segment": "Tema",
    "minutes_heading": "Minutos",
    "ce_credit": "Con créditos",
    "no_credit": "sin créditos",
    "part": "Parte {n}",
    "minutes": "{n} minutos",
    "sources": "Fuentes",
    "source": "Fuente",
    "research": "Qué dice la investigación",
    "limits": "Limitaciones de la evidencia",
    "takeaways": "Ideas clave",
    "references": "Referencias",
    "closing": "Evaluación y certificado",
    "accommodations": "Adaptaciones: {text}",
    "grievances": "Quejas o reclamaciones: {text}",
    "case": "Caso: {title}",
    "case_questions": "Caso: {title}; preguntas para el debate",
    "activity": "Actividad: {title}",
    "reflection": "Reflexión: {title}",
    "in_words": "En palabras de {name}",
    "quote_from": "Cita: {who}",
    "continued": "(cont.)",
    "continued_n": "(cont. {n})",
    "break_back": "Pausa; volvemos a las {time}",
    "break": "Pausa",
    "back_at": "{title}; volvemos a las {time}",
    "key_points": "{title}: ideas principales",
    "presenters": "Ponentes",
    "presenter": "Ponente",
    "welcome_note": "Dé la bienvenida a los participantes. Duración total: {minutes} minutos; "
    "{credits}.",
    "disclosure_note": "Lea en voz alta cada declaración de intereses antes de cualquier "
    "contenido, como exigen las normas de educación continua.",
    "approval_note": "Las declaraciones de acreditación se leen textualmente.",
    "objectives_note": "Cada objetivo tiene su pregunta correspondiente en el formulario de "
    "evaluación.",
    "agenda_note": "Total: {total} minutos, de los cuales {credit} otorgan créditos.",
    "quote_note": "Haga una pausa después de la cita e invite a reaccionar.",
    "case_questions_note": "Dé a las parejas unos minutos para estas preguntas y luego "
    "recoja dos o tres respuestas.",
    "discussion_note": "Pida respuestas a varios participantes antes de continuar.",
    "activity_note": "Actividad: {minutes} minutos. Controle el tiempo y avise cuando quede "
    "un minuto.",
    "takeaways_note": "Resuma en un minuto e invite a plantear las últimas preguntas.",
    "references_note": "Las referencias completas están en el material para participantes.",
    "closing_note": "Agradezca la participación, indique el formulario de evaluación y "
    "recuerde cómo se emiten los certificados.",
    "section_note": "Sección: {title}. {minutes} minutos.",
    "section_note_no_credit": "Sección: {title}. {minutes} minutos, sin créditos.",
    "timing_note": "{start}–{end}",
    "break_note": "Pausa: {minutes} minutos. Reanude a la hora prevista.",
    "non_credit_notice": "Los puntos del programa marcados como sin créditos (como las "
    "pausas) no cuentan para los créditos de educación continua.",
    "credit_one": "{n} crédito de educación continua ({minutes} minutos de instrucción)",
    "credit_many": "{n} créditos de educación continua ({minutes} minutos de instrucción)",
    "ce_credits": "créditos de educación continua",
    "ce_credits_one": "crédito de educación continua",
    "offers": "Este programa otorga {credits}.",
    "by_body": "Créditos por entidad acreditadora: {list}.",
    "no_approvals": "{provider} todavía no indica ninguna entidad acreditadora para este "
    "programa; las declaraciones de acreditación aparecerán aquí cuando el kit del proveedor "
    "las incluya.",
    "attendance": "Asistencia y certificados",
    "accommodations_heading": "Adaptaciones",
    "grievances_heading": "Quejas y reclamaciones",
    "refunds": "Reembolsos y cancelaciones",
    "label": "{label}:",
    "date": "Fecha",
    "format": "Modalidad",
    "credits": "Créditos",
    "provider": "Entidad organizadora",
    "about": "Sobre este programa",
    "audience": "Destinatarios",
    "level": "Nivel",
    "level_introductory": "Introductorio",
    "level_intermediate": "Intermedio",
    "level_advanced": "Avanzado",
    "format_in_person": "Presencial",
    "format_webinar": "Seminario web interactivo en directo",
    "format_self_study": "Autoaprendizaje",
    "yes": "Sí",
    "no": "No",
    "page": "Página {page}",
    "page_of": "Página {page} de {pages}",
    "draft": "BORRADOR",
    "notes": "Notas",
    "guide_title": "Guía de facilitación",
    "run_sheet": "Guion de la sesión",
    "start_heading": "Inicio",
    "section_heading": "Sección",
    "objectives_served": "Objetivos",
    "materials_setup": "Materiales y preparación",
    "setup": "Preparación de la sala",
    "total_minutes": "{n} minutos en total",
    "before_session": "Antes de la sesión",
    "slide_by_slide": "Diapositiva por diapositiva",
    "slides_title": "Diapositivas",
    "slide_number": "Diapositiva {n}",
    "speaker_notes": "Notas del orador",
    "cue_by": "A las {time} debería estar aquí",
    "notes_lines": "Notas",
    "materials_checklist": "Lista de materiales",
    "checklist_handouts": "Material para participantes impreso",
    "checklist_sign_in": "Hoja de firmas de asistencia",
    "checklist_evaluations": "Formularios de evaluación",
    "checklist_handout_file": "Archivo del material para participantes, para compartir",
    "checklist_attendance": "Registro de asistencia",
    "checklist_evaluation_link": "Enlace al formulario de evaluación",
    "no_date": "s. f.",
    "et_al": "et al.",
    "quoted": "«{text}»",
    # certificados de asistencia
    "certificate_title": "Certificado de asistencia",
    "certificates_title": "certificados de asistencia",
    "certifies": "Se certifica que",
    "attended_program": "asistió al programa de educación continua",
    "presented_by": "Presentado por {names}",
    "accrediting_body": "Organismo acreditador",
    "unit": "Unidad",
    "credit_type": "Tipo de crédito",
    "not_awarded": "no otorgado",
    "license": "Licencia: {license}",
    "certificate_id": "ID del certificado: {id}",
    "date_of_issue": "Fecha de emisión: {date}",
    "evaluation_title": "Evaluación del programa",
    "evaluation_lead": "Valore cada afirmación de 5 (totalmente de acuerdo) a 1 (totalmente en "
    "desacuerdo) y responda a las preguntas siguientes. Sus respuestas nos ayudan a mejorar este "
    "programa.",
    "evaluation_policy": "Complete el formulario de evaluación antes de salir; los certificados se "
    "emiten tras verificar la asistencia y recibir la evaluación completada.",
    "attendance_policy": "Para obtener los créditos se requiere la asistencia completa; no se "
    "otorgan créditos parciales.",
    "name": "Nombre",
    "scale_5": "Totalmente de acuerdo",
    "scale_4": "De acuerdo",
    "scale_3": "Neutral",
    "scale_2": "En desacuerdo",
    "scale_1": "Totalmente en desacuerdo",
    "objectives_rating": "Según el contenido de este taller:",
    "able_to": "Soy capaz de {objective}",
    "evaluation_program": "El programa",
    "evaluation_statement": "Afirmación",
    "item_description": "El contenido correspondió a la descripción del programa.",
    "item_knowledge": "{name} demostró dominio del tema.",
    "item_teaching": "{name} enseñó el contenido con eficacia.",
    "item_relevance": "El contenido es pertinente para mi práctica profesional.",
    "item_level": "El contenido se ajustó al nivel indicado ({level}).",
    "item_materials": "Las diapositivas y el material para participantes apoyaron mi aprendizaje.",
    "item_facility": "Las instalaciones y las adaptaciones que solicité respondieron a mis "
    "necesidades.",
    "item_platform": "La plataforma en línea y las adaptaciones que solicité respondieron a mis "
    "necesidades.",
    "item_bias": "El programa estuvo libre de sesgo comercial.",
    "item_overall": "En conjunto, el programa fue de alta calidad.",
    "evaluation_comments": "Sus comentarios",
    "question_useful": "¿Qué le resultó más útil?",
    "question_practice": "¿Cómo aplicará lo aprendido en su práctica?",
    "question_improve": "¿Qué cambiaría o mejoraría?",
    "question_bias": "Si percibió sesgo comercial o la promoción de algún producto o servicio, "
    "descríbalo.",
    "question_topics": "¿Qué temas le gustaría que trataran futuros programas?",
    "question_comments": "Otros comentarios",
    "approval": "Acreditación",
    "approval_number": "{body} (n.º {number})",
    "no_approval_listed": "aún no se indica ninguna entidad acreditadora",
    "signin_title": "Hoja de firmas de asistencia",
    "signin_for": "Hoja de firmas de asistencia: {date}",
    "signin_lead": "Escriba su nombre y su licencia tal como deben figurar en su certificado, "
    "firme y anote la hora de llegada y la de salida.",
    "program_hours": "Horario del programa: {start}–{end}",
    "no_credit_items": "Sin créditos: {list}.",
    "col_name": "Nombre (en mayúsculas)",
    "col_license_type": "Tipo de licencia",
    "col_license_number": "N.º de licencia",
    "col_state": "Estado",
    "col_email": "Correo electrónico",
    "col_signature": "Firma",
    "col_time_in": "Entrada",
    "col_time_out": "Salida",
    "housekeeping": "Aspectos prácticos",
    "housekeeping_breaks": "Pausas: {list}",
    "housekeeping_no_breaks": "No hay pausas programadas: salga cuando lo necesite.",
    "housekeeping_restrooms": "Baños y salidas de emergencia: le indicaremos dónde están.",
    "housekeeping_phones": "Silencie su teléfono y sus notificaciones, por favor.",
    "housekeeping_questions": "Las preguntas son bienvenidas: use el chat o levante la mano.",
    "housekeeping_sign_in": "Firme al llegar y al salir: la hoja de firmas registra su asistencia "
    "para los créditos de educación continua.",
    "housekeeping_note": "Dedique un minuto a estos puntos e invite a quien necesite una "
    "adaptación a decírselo en privado.",
}

GERMAN = {
    "disclosures": "Offenlegung von Interessenkonflikten",
    "disclosure": "Interessenkonflikte",
    "commercial_support": "Kommerzielle Unterstützung dieser Veranstaltung: {who}.",
    "commercial_support_label": "Kommerzielle Unterstützung",
    "no_commercial_support": "keine",
    "continuing_education": "Fortbildung",
    "objectives": "Lernziele",
    "objectives_lead": "Nach diesem Workshop können Sie:",
    "agenda": "Ablauf",
    "time": "Zeit",
    "segment": "Programmpunkt",
    "minutes_heading": "Minuten",
    "ce_credit": "Punkte",
    "no_credit": "ohne Fortbildungspunkte",
    "part": "Teil {n}",
    "minutes": "{n} Minuten",
    "sources": "Quellen",
    "source": "Quelle",
    "research": "Was die Forschung sagt",
    "limits": "Grenzen der Evidenz",
    "takeaways": "Das Wichtigste in Kürze",
    "references": "Literatur",
    "closing": "Evaluation und Teilnahmebescheinigung",
    "accommodations": "Barrierefreiheit: {text}",
    "grievances": "Anliegen und Beschwerden: {text}",
    "case": "Fallbeispiel: {title}",
    "case_questions": "Fallbeispiel: {title} – Fragen zur Diskussion",
    "activity": "Übung: {title}",
    "reflection": "Zum Nachdenken: {title}",
    "in_words": "In den Worten von {name}",
    "quote_from": "Zitat: {who}",
    "continued": "(Forts.)",
    "continued_n": "(Forts. {n})",
    "break_back": "Pause, weiter um {time}",
    "break": "Pause",
    "back_at": "{title}, weiter um {time}",
    "key_points": "{title}: Kernpunkte",
    "presenters": "Referierende",
    "presenter": "Leitung",
    "welcome_note": "Begrüßen Sie die Teilnehmenden. Gesamtdauer {minutes} Minuten; {credits}.",
    "disclosure_note": "Lesen Sie jede Offenlegung vor allen Inhalten laut vor, wie es die "
    "Fortbildungsregeln verlangen.",
    "approval_note": "Die Anerkennungserklärungen werden wörtlich vorgelesen.",
    "objectives_note": "Zu jedem Lernziel gibt es eine passende Frage im Evaluationsbogen.",
    "agenda_note": "Insgesamt {total} Minuten, davon {credit} mit Fortbildungspunkten.",
    "quote_note": "Halten Sie nach dem Zitat kurz inne und bitten Sie um Reaktionen.",
    "case_questions_note": "Geben Sie den Paaren einige Minuten für diese Fragen und sammeln "
    "Sie dann zwei oder drei Antworten.",
    "discussion_note": "Holen Sie Antworten von mehreren Teilnehmenden ein, bevor Sie weitergehen.",
    "activity_note": "Übung: {minutes} Minuten. Achten Sie auf die Zeit und kündigen Sie die "
    "letzte Minute an.",
    "takeaways_note": "Fassen Sie in einer Minute zusammen und laden Sie zu letzten Fragen ein.",
    "references_note": "Die vollständigen Literaturangaben stehen im Handout.",
    "closing_note": "Danken Sie den Teilnehmenden, verweisen Sie auf den Evaluationsbogen und "
    "erinnern Sie daran, wie die Teilnahmebescheinigungen ausgestellt werden.",
    "section_note": "Abschnitt: {title}. {minutes} Minuten.",
    "section_note_no_credit": "Abschnitt: {title}. {minutes} Minuten, ohne Fortbildungspunkte.",
    "timing_note": "{start}–{end}",
    "break_note": "Pause: {minutes} Minuten. Beginnen Sie pünktlich wieder.",
    "non_credit_notice": "Als nicht anrechenbar gekennzeichnete Programmpunkte (etwa Pausen) "
    "zählen nicht für die Fortbildungspunkte.",
    "credit_one": "{n} Fortbildungspunkt ({minutes} Unterrichtsminuten)",
    "credit_many": "{n} Fortbildungspunkte ({minutes} Unterrichtsminuten)",
    "ce_credits": "Fortbildungspunkte",
    "ce_credits_one": "Fortbildungspunkt",
    "offers": "Für diese Veranstaltung gibt es {credits}.",
    "by_body": "Punkte je Akkreditierungsstelle: {list}.",
    "no_approvals": "{provider} nennt für diese Veranstaltung noch keine "
    "Akkreditierungsstelle; die Anerkennungserklärungen erscheinen hier, sobald das "
    "Anbieterprofil sie enthält.",
    "attendance": "Teilnahme und Bescheinigungen",
    "accommodations_heading": "Barrierefreiheit",
    "grievances_heading": "Beschwerden",
    "refunds": "Rückerstattung und Stornierung",
    "label": "{label}:",
    "date": "Datum",
    "format": "Format",
    "credits": "Fortbildungspunkte",
    "provider": "Anbieter",
    "about": "Über diese Veranstaltung",
    "audience": "Zielgruppe",
    "level": "Niveau",
    "level_introductory": "Einführung",
    "level_intermediate": "Aufbau",
    "level_advanced": "Vertiefung",
    "format_in_person": "Präsenzveranstaltung",
    "format_webinar": "Interaktives Live-Webinar",
    "format_self_study": "Selbststudium",
    "yes": "Ja",
    "no": "Nein",
    "page": "Seite {page}",
    "page_of": "Seite {page} von {pages}",
    "draft": "ENTWURF",
    "notes": "Notizen",
    "guide_title": "Leitfaden für die Moderation",
    "run_sheet": "Ablaufplan",
    "start_heading": "Beginn",
    "section_heading": "Abschnitt",
    "objectives_served": "Lernziele",
    "materials_setup": "Material und Raum",
    "setup": "Raumvorbereitung",
    "total_minutes": "insgesamt {n} Minuten",
    "before_session": "Vor der Veranstaltung",
    "slide_by_slide": "Folie für Folie",
    "slides_title": "Folien",
    "slide_number": "Folie {n}",
    "speaker_notes": "Notizen für Vortragende",
    "cue_by": "Um {time} sollten Sie hier sein",
    "notes_lines": "Notizen",
    "materials_checklist": "Materialcheckliste",
    "checklist_handouts": "Gedruckte Handouts",
    "checklist_sign_in": "Anwesenheitsliste zum Unterschreiben",
    "checklist_evaluations": "Evaluationsbögen",
    "checklist_handout_file": "Handout als Datei zum Teilen",
    "checklist_attendance": "Anwesenheitsprotokoll",
    "checklist_evaluation_link": "Link zum Evaluationsbogen",
    "no_date": "o. J.",
    "et_al": "et al.",
    "quoted": "„{text}“",
    # Teilnahmebescheinigungen
    "certificate_title": "Teilnahmebescheinigung",
    "certificates_title": "Teilnahmebescheinigungen",
    "certifies": "Hiermit wird bescheinigt, dass",
    "attended_program": "an der Fortbildung teilgenommen hat",
    "presented_by": "Referierende: {names}",
    "accrediting_body": "Akkreditierungsstelle",
    "unit": "Einheit",
    "credit_type": "Art der Punkte",
    "not_awarded": "nicht vergeben",
    "license": "Approbation/Lizenz: {license}",
    "certificate_id": "Bescheinigungs-ID: {id}",
    "date_of_issue": "Ausgestellt am: {date}",
    "evaluation_title": "Evaluationsbogen",
    "evaluation_lead": "Bitte bewerten Sie jede Aussage von 5 (stimme voll zu) bis 1 (stimme gar "
    "nicht zu) und beantworten Sie die Fragen unten. Ihre Antworten helfen uns, diese "
    "Veranstaltung zu verbessern.",
    "evaluation_policy": "Bitte füllen Sie den Evaluationsbogen vor dem Gehen aus; Bescheinigungen "
    "werden nach bestätigter Anwesenheit und abgegebener Evaluation ausgestellt.",
    "attendance_policy": "Fortbildungspunkte setzen die Teilnahme an der gesamten Veranstaltung "
    "voraus; anteilige Punkte werden nicht vergeben.",
    "name": "Name",
    "scale_5": "Stimme voll zu",
    "scale_4": "Stimme zu",
    "scale_3": "Neutral",
    "scale_2": "Stimme nicht zu",
    "scale_1": "Stimme gar nicht zu",
    "objectives_rating": "Aufgrund der Inhalte dieses Workshops:",
    "able_to": "Ich kann {objective}",
    "evaluation_program": "Die Veranstaltung",
    "evaluation_statement": "Aussage",
    "item_description": "Der Inhalt entsprach der Ausschreibung.",
    "item_knowledge": "{name} war fachlich kompetent.",
    "item_teaching": "{name} hat die Inhalte wirksam vermittelt.",
    "item_relevance": "Die Inhalte sind für meine Praxis relevant.",
    "item_level": "Die Inhalte entsprachen dem angegebenen Niveau ({level}).",
    "item_materials": "Folien und Handout haben mein Lernen unterstützt.",
    "item_facility": "Die Räume und die von mir erbetenen Vorkehrungen zur Barrierefreiheit "
    "entsprachen meinen Bedürfnissen.",
    "item_platform": "Die Online-Plattform und die von mir erbetenen Vorkehrungen zur "
    "Barrierefreiheit entsprachen meinen Bedürfnissen.",
    "item_bias": "Die Veranstaltung war frei von kommerzieller Einflussnahme.",
    "item_overall": "Insgesamt war die Veranstaltung von hoher Qualität.",
    "evaluation_comments": "Ihre Anmerkungen",
    "question_useful": "Was war für Sie am nützlichsten?",
    "question_practice": "Wie werden Sie das Gelernte in Ihrer Praxis anwenden?",
    "question_improve": "Was würden Sie ändern oder verbessern?",
    "question_bias": "Falls Ihnen kommerzielle Einflussnahme oder Werbung für ein Produkt oder eine "
    "Dienstleistung aufgefallen ist, beschreiben Sie sie bitte.",
    "question_topics": "Welche Themen wünschen Sie sich für künftige Veranstaltungen?",
    "question_comments": "Weitere Anmerkungen",
    "approval": "Anerkennung",
    "approval_number": "{body} (Nr. {number})",
    "no_approval_listed": "noch keine Akkreditierungsstelle genannt",
    "signin_title": "Anwesenheitsliste",
    "signin_for": "Anwesenheitsliste: {date}",
    "signin_lead": "Tragen Sie Ihren Namen und Ihre Approbation oder Zulassung so ein, wie sie auf "
    "der Teilnahmebescheinigung stehen sollen, unterschreiben Sie und notieren Sie, wann Sie "
    "kommen und wann Sie gehen.",
    "program_hours": "Veranstaltungszeit: {start}–{end}",
    "no_credit_items": "Ohne Fortbildungspunkte: {list}.",
    "col_name": "Name (Druckschrift)",
    "col_license_type": "Art der Zulassung",
    "col_license_number": "Zulassungs-Nr.",
    "col_state": "Bundesland",
    "col_email": "E-Mail",
    "col_signature": "Unterschrift",
    "col_time_in": "Kommen",
    "col_time_out": "Gehen",
    "housekeeping": "Organisatorisches",
    "housekeeping_breaks": "Pausen: {list}",
    "housekeeping_no_breaks": "Keine feste Pause: Gehen Sie hinaus, wann immer Sie es brauchen.",
    "housekeeping_restrooms": "Toiletten und Notausgänge: Wir zeigen Ihnen, wo sie sind.",
    "housekeeping_phones": "Bitte schalten Sie Ihr Telefon und Benachrichtigungen stumm.",
    "housekeeping_questions": "Fragen sind willkommen: Nutzen Sie den Chat oder heben Sie die "
    "Hand.",
    "housekeeping_sign_in": "Tragen Sie sich beim Kommen und beim Gehen in die Anwesenheitsliste "
    "ein: Sie belegt Ihre Teilnahme für die Fortbildungspunkte.",
    "housekeeping_note": "Nehmen Sie sich eine Minute für diese Punkte und bitten Sie alle, die "
    "Vorkehrungen brauchen, es Ihnen vertraulich zu sagen.",
}

# French typography: a no-break space before ":" and ";" and inside « ».
FRENCH = {
    "disclosures": "Déclarations d’intérêts",
    "disclosure": "Déclaration d’intérêts",
    "commercial_support": "Soutien commercial de ce programme\u00a0: {who}.",
    "commercial_support_label": "Soutien commercial",
    "no_commercial_support": "aucun",
    "continuing_education": "Formation continue",
    "objectives": "Objectifs pédagogiques",
    "objectives_lead": "À l’issue de cet atelier, vous serez en mesure de\u00a0:",
    "agenda": "Programme",
    "time": "Horaire",
    "segment": "Séquence",
    "minutes_heading": "Minutes",
    "ce_credit": "Crédits",
    "no_credit": "sans crédits",
    "part": "Partie {n}",
    "minutes": "{n} minutes",
    "sources": "Sources",
    "source": "Source",
    "research": "Ce que dit la recherche",
    "limits": "Limites des données",
    "takeaways": "À retenir",
    "references": "Références",
    "closing": "Évaluation et attestation",
    "accommodations": "Aménagements\u00a0: {text}",
    "grievances": "Réclamations\u00a0: {text}",
    "case": "Cas\u00a0: {title}",
    "case_questions": "Cas\u00a0: {title}, questions pour la discussion",
    "activity": "Activité\u00a0: {title}",
    "reflection": "Réflexion\u00a0: {title}",
    "in_words": "Selon {name}",
    "quote_from": "Citation\u00a0: {who}",
    "continued": "(suite)",
    "continued_n": "(suite {n})",
    "break_back": "Pause, reprise à {time}",
    "break": "Pause",
    "back_at": "{title}, reprise à {time}",
    "key_points": "{title}\u00a0: points clés",
    "presenters": "Intervenants",
    "presenter": "Animation",
    "welcome_note": "Accueillez les participants. Durée totale\u00a0: {minutes} minutes\u00a0; "
    "{credits}.",
    "disclosure_note": "Lisez chaque déclaration d’intérêts à voix haute avant tout contenu, "
    "comme l’exigent les règles de la formation continue.",
    "approval_note": "Les mentions d’agrément sont lues mot pour mot.",
    "objectives_note": "Chaque objectif correspond à une question du formulaire d’évaluation.",
    "agenda_note": "Total\u00a0: {total} minutes, dont {credit} donnent droit à des crédits.",
    "quote_note": "Marquez une pause après la citation et invitez le groupe à réagir.",
    "case_questions_note": "Laissez aux binômes quelques minutes pour ces questions, puis "
    "recueillez deux ou trois réponses.",
    "discussion_note": "Sollicitez les réponses de plusieurs participants avant de poursuivre.",
    "activity_note": "Activité\u00a0: {minutes} minutes. Surveillez le temps et prévenez une "
    "minute avant la fin.",
    "takeaways_note": "Résumez en une minute et invitez aux dernières questions.",
    "references_note": "Les références complètes figurent dans le document des participants.",
    "closing_note": "Remerciez les participants, indiquez le formulaire d’évaluation et "
    "rappelez comment les attestations sont délivrées.",
    "section_note": "Section\u00a0: {title}. {minutes} minutes.",
    "section_note_no_credit": "Section\u00a0: {title}. {minutes} minutes, sans crédits.",
    "timing_note": "{start}–{end}",
    "break_note": "Pause\u00a0: {minutes} minutes. Reprenez à l’heure.",
    "non_credit_notice": "Les points du programme signalés comme ne donnant pas droit à des "
    "crédits (comme les pauses) ne comptent pas pour les crédits de formation continue.",
    "credit_one": "{n} crédit de formation continue ({minutes} minutes d’enseignement)",
    "credit_many": "{n} crédits de formation continue ({minutes} minutes d’enseignement)",
    "ce_credits": "crédits de formation continue",
    "ce_credits_one": "crédit de formation continue",
    "offers": "Ce programme donne droit à {credits}.",
    "by_body": "Crédits par organisme d’accréditation\u00a0: {list}.",
    "no_approvals": "{provider} n’indique encore aucun organisme d’accréditation pour ce "
    "programme\u00a0; les mentions d’agrément apparaîtront ici dès que le kit de l’organisme "
    "les précisera.",
    "attendance": "Présence et attestations",
    "accommodations_heading": "Aménagements",
    "grievances_heading": "Réclamations",
    "refunds": "Remboursements et annulations",
    "label": "{label}\u00a0:",
    "date": "Date",
    "format": "Format",
    "credits": "Crédits",
    "provider": "Organisme de formation",
    "about": "À propos de ce programme",
    "audience": "Public",
    "level": "Niveau",
    "level_introductory": "Initiation",
    "level_intermediate": "Intermédiaire",
    "level_advanced": "Avancé",
    "format_in_person": "En présentiel",
    "format_webinar": "Webinaire interactif en direct",
    "format_self_study": "Autoformation",
    "yes": "Oui",
    "no": "Non",
    "page": "Page {page}",
    "page_of": "Page {page} sur {pages}",
    "draft": "BROUILLON",
    "notes": "Notes",
    "guide_title": "Guide d’animation",
    "run_sheet": "Déroulé",
    "start_heading": "Début",
    "section_heading": "Séquence",
    "objectives_served": "Objectifs",
    "materials_setup": "Matériel et installation",
    "setup": "Installation de la salle",
    "total_minutes": "{n} minutes au total",
    "before_session": "Avant la séance",
    "slide_by_slide": "Diapositive par diapositive",
    "slides_title": "Diapositives",
    "slide_number": "Diapositive {n}",
    "speaker_notes": "Notes de présentation",
    "cue_by": "À {time}, vous devriez en être ici",
    "notes_lines": "Notes",
    "materials_checklist": "Liste du matériel",
    "checklist_handouts": "Documents des participants imprimés",
    "checklist_sign_in": "Feuille d’émargement",
    "checklist_evaluations": "Formulaires d’évaluation",
    "checklist_handout_file": "Fichier du document des participants à partager",
    "checklist_attendance": "Relevé de présence",
    "checklist_evaluation_link": "Lien vers le formulaire d’évaluation",
    "no_date": "s. d.",
    "et_al": "et al.",
    "quoted": "«\u00a0{text}\u00a0»",
    # attestations de participation
    "certificate_title": "Attestation de participation",
    "certificates_title": "attestations de participation",
    "certifies": "Nous attestons que",
    "attended_program": "a suivi le programme de formation continue",
    "presented_by": "Présenté par {names}",
    "accrediting_body": "Organisme d’accréditation",
    "unit": "Unité",
    "credit_type": "Type de crédit",
    "not_awarded": "non attribué",
    "license": "Licence\u00a0: {license}",
    "certificate_id": "Identifiant de l’attestation\u00a0: {id}",
    "date_of_issue": "Date de délivrance\u00a0: {date}",
    "evaluation_title": "Évaluation du programme",
    "evaluation_lead": "Notez chaque affirmation de 5 (tout à fait d’accord) à 1 (pas du tout "
    "d’accord), puis répondez aux questions ci-dessous. Vos réponses nous aident à améliorer ce "
    "programme.",
    "evaluation_policy": "Remplissez le formulaire d’évaluation avant de partir ; les attestations "
    "sont délivrées après vérification de la présence et réception de l’évaluation.",
    "attendance_policy": "La présence à l’ensemble de la formation est requise pour obtenir les "
    "crédits ; aucun crédit partiel n’est accordé.",
    "name": "Nom",
    "scale_5": "Tout à fait d’accord",
    "scale_4": "D’accord",
    "scale_3": "Neutre",
    "scale_2": "Pas d’accord",
    "scale_1": "Pas du tout d’accord",
    "objectives_rating": "D’après le contenu de cet atelier\u00a0:",
    "able_to": "Je peux désormais {objective}",
    "evaluation_program": "Le programme",
    "evaluation_statement": "Affirmation",
    "item_description": "Le contenu correspondait au descriptif du programme.",
    "item_knowledge": "{name} maîtrisait le sujet.",
    "item_teaching": "{name} a transmis le contenu efficacement.",
    "item_relevance": "Le contenu est pertinent pour ma pratique.",
    "item_level": "Le contenu correspondait au niveau annoncé ({level}).",
    "item_materials": "Les diapositives et le document des participants ont soutenu mon "
    "apprentissage.",
    "item_facility": "Les locaux et les aménagements que j’ai demandés répondaient à mes besoins.",
    "item_platform": "La plateforme en ligne et les aménagements que j’ai demandés répondaient à "
    "mes besoins.",
    "item_bias": "Le programme était exempt de biais commercial.",
    "item_overall": "Dans l’ensemble, le programme était de grande qualité.",
    "evaluation_comments": "Vos commentaires",
    "question_useful": "Qu’est-ce qui vous a été le plus utile\u00a0?",
    "question_practice": "Comment utiliserez-vous ce que vous avez appris dans votre "
    "pratique\u00a0?",
    "question_improve": "Que changeriez-vous ou amélioreriez-vous\u00a0?",
    "question_bias": "Si vous avez remarqué un biais commercial ou la promotion d’un produit ou "
    "d’un service, décrivez-le.",
    "question_topics": "Quels thèmes aimeriez-vous voir traités lors de prochains "
    "programmes\u00a0?",
    "question_comments": "Autres commentaires",
    "approval": "Agrément",
    "approval_number": "{body} (n°\u00a0{number})",
    "no_approval_listed": "aucun organisme d’accréditation indiqué pour l’instant",
    "signin_title": "Feuille d’émargement",
    "signin_for": "Feuille d’émargement\u00a0: {date}",
    "signin_lead": "Inscrivez votre nom et votre autorisation d’exercice tels qu’ils doivent "
    "figurer sur votre attestation, signez et notez l’heure de votre arrivée et celle de votre "
    "départ.",
    "program_hours": "Horaires du programme\u00a0: {start}–{end}",
    "no_credit_items": "Sans crédits\u00a0: {list}.",
    "col_name": "Nom (en capitales)",
    "col_license_type": "Type d’autorisation",
    "col_license_number": "N° d’autorisation",
    "col_state": "État",
    "col_email": "Courriel",
    "col_signature": "Signature",
    "col_time_in": "Arrivée",
    "col_time_out": "Départ",
    "housekeeping": "Informations pratiques",
    "housekeeping_breaks": "Pauses\u00a0: {list}",
    "housekeeping_no_breaks": "Pas de pause prévue\u00a0: sortez dès que vous en avez besoin.",
    "housekeeping_restrooms": "Toilettes et issues de secours\u00a0: nous vous indiquerons où "
    "elles se trouvent.",
    "housekeeping_phones": "Merci de mettre votre téléphone et vos notifications en silencieux.",
    "housekeeping_questions": "Vos questions sont les bienvenues\u00a0: utilisez le chat ou levez "
    "la main.",
    "housekeeping_sign_in": "Signez la feuille d’émargement à l’arrivée et au départ\u00a0: elle "
    "atteste votre présence pour les crédits de formation continue.",
    "housekeeping_note": "Prenez une minute pour ces points et invitez les personnes qui ont "
    "besoin d’un aménagement à vous le dire en privé.",
}

CATALOGUES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": ENGLISH, "es": SPANISH, "de": GERMAN, "fr": FRENCH}
)


@dataclass(frozen=True)
class Words:
    """The generated words of one language; call it to format a phrase: t("part", n=2)."""

    language: str  # the outline's tag, e.g. "de-AT"
    catalogue: str  # the catalogue used: "de", or "en" for a language without one
    phrases: Mapping[str, str] = field(repr=False, compare=False)

    def __call__(self, key: str, /, **values: object) -> str:
        """Return the phrase of key with values filled in (KeyError for an unknown key).

        With a Markup value (text through the `inline` filter) the result is Markup too, every
        other part escaped; otherwise it is plain text for the template to escape.
        """
        phrase = self.phrases[key]
        if any(isinstance(v, Markup) for v in values.values()):
            return escape(phrase).format(**values)
        return phrase.format(**values)

    @property
    def fallback(self) -> bool:
        """Whether the language has no catalogue of its own and gets English words."""
        return self.catalogue != primary(self.language)


def primary(language: str) -> str:
    """Return the primary subtag of a BCP 47 tag: 'de-AT' -> 'de'."""
    return language.replace("_", "-").split("-")[0].lower()


def words_for(language: str) -> Words:
    """Return the words of language's primary subtag; English for a language we lack."""
    catalogue = primary(language) if primary(language) in CATALOGUES else "en"
    return Words(language, catalogue, CATALOGUES[catalogue])


def quotation_marks(language: str) -> tuple[str, str]:
    """Return the opening and closing quotation marks of language's "quoted" („…“ in German)."""
    opening, _, closing = words_for(language)("quoted", text="\0").partition("\0")
    return opening, closing


@lru_cache(maxsize=64)
def locale_for(language: str) -> Locale:
    """Return Babel's locale for a tag: the tag itself, else its primary subtag, else English."""
    for tag in (language, primary(language)):
        try:
            locale = Locale.parse(tag, sep="-" if "-" in tag else "_")
        except (ValueError, UnknownLocaleError):
            continue
        preload(str(locale))
        return locale
    preload("en")
    return Locale.parse("en")


def format_date(day: dt.date, language: str) -> str:
    """Return day as the language writes it in full: 'March 12, 2027', '12. März 2027'."""
    return _babel_date(day, format="long", locale=locale_for(language))


def format_time(time: dt.time, language: str) -> str:
    """Return a clock time as the language writes it: '9:00 AM', '09:00'."""
    return _babel_time(time, format="short", locale=locale_for(language))


def format_number(x: float, language: str) -> str:
    """Return a number with the language's decimal sign: 1.5 -> '1,5' in German."""
    return format_decimal(x, locale=locale_for(language))


def plural(n: float, language: str) -> str:
    """Return the CLDR plural category of n: 'one' or 'other' (French 1.5 is 'one')."""
    return locale_for(language).plural_form(n)
