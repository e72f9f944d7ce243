"""The confidentiality guard's detector (issue 15): each kind of finding on clear examples,
the ordinary vocabulary of the field left alone, and precision and recall on the labelled
set (tests/core/confidentiality_labelled.json)."""
import json
from pathlib import Path

import pytest

from core.confidentiality import KINDS, find

LABELLED = Path(__file__).with_name("confidentiality_labelled.json")


def kinds(text, lang):
    return {m.kind for m in find(text, lang)}


def test_a_match_says_where_it_is():
    text = "Son oncle répond au +237 677 12 34 56 le soir."
    [match] = find(text, "fr")
    assert match.kind == "phone"
    assert text[match.start:match.end] == match.text == "+237 677 12 34 56"
    assert match.kind in KINDS


@pytest.mark.parametrize("number", [
    "+237 677 12 34 56",     # Cameroon
    "6 94 55 21 08",          # Cameroon, national
    "+243 812 345 678",       # DR Congo
    "081 234 5678",           # DR Congo, national
    "+223 76 12 34 56",       # Mali
    "+261 32 04 567 89",      # Madagascar
    "034 12 345 67",          # Madagascar, national
    "+212 661-234567",        # Morocco
    "06 12 34 56 78",         # Morocco or France, national
    "+242 06 612 3456",       # Congo
    "+51 987 654 321",        # Peru
    "987 654 321",            # Peru, national
    "+855 12 345 678",        # Cambodia
    "012 987 654",            # Cambodia, national
    "+33 6 12 34 56 78",      # France
])
def test_phone_numbers_of_every_partner_country(number):
    assert kinds(f"Appeler le {number} demain.", "fr") == {"phone"}


@pytest.mark.parametrize("text, lang", [
    ("En cas de danger, appelez le 116 ou le 119, c'est gratuit.", "fr"),
    ("Call 117 for the police or 1280 for the child helpline.", "en"),
    ("Llame al 100 o al 105, la línea es gratuita.", "es"),
    ("Nous avons distribué 120 kits pour 600 000 francs.", "fr"),
])
def test_service_numbers_and_amounts_are_not_phones(text, lang):
    assert "phone" not in kinds(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("Écrire à la tante : tante.awa82@yahoo.fr", "fr"),
    ("His stepfather wrote from jm_kabila+1@gmail.com", "en"),
    ("كتب من rachid.tanger85@gmail.com", "ar"),
])
def test_email_addresses(text, lang):
    assert "email" in kinds(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("Il est né le 12 mars 2014 à Douala.", "fr"),
    ("Elle est née le 1er juin 2011.", "fr"),
    ("Date de naissance : 05/06/2012.", "fr"),
    ("She was born on March 12, 2014 in Goma.", "en"),
    ("Born 3 May 2012, according to his aunt.", "en"),
    ("La niña nacida el 12 de marzo de 2014 vive con su abuela.", "es"),
    ("Nacido el 5/6/2012 en Iquitos.", "es"),
    ("الطفل مولود في 12 مارس 2014 بمدينة فاس.", "ar"),
    ("ولدت الطفلة بتاريخ 05/06/2012 في بني ملال.", "ar"),
    ("Teraka tamin'ny 12 martsa 2014 tao Toamasina izy.", "mg"),
    ("ក្មេងប្រុសនេះកើតថ្ងៃទី១២ ខែមីនា ឆ្នាំ២០១៤ នៅខេត្តបាត់ដំបង។", "km"),
])
def test_dates_of_birth(text, lang):
    assert "birth_date" in kinds(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("La réunion du 12 mars 2024 portera sur la réinsertion familiale.", "fr"),
    ("On 3 May we met the regional child protection office.", "en"),
    ("La reunión del 12 de marzo de 2024 tratará la reinserción.", "es"),
    ("سيتناول اجتماع 12 مارس 2024 موضوع إعادة الإدماج الأسري.", "ar"),
    ("Ny fivoriana amin'ny 12 martsa 2024 dia hiresaka momba ny fampodiana.", "mg"),
    ("កិច្ចប្រជុំថ្ងៃទី១២ ខែមីនា ឆ្នាំ២០២៤ នឹងពិភាក្សា។", "km"),
])
def test_a_meeting_date_is_harmless(text, lang):
    assert find(text, lang) == []


@pytest.mark.parametrize("text, lang", [
    ("Il dort derrière le marché Mokolo.", "fr"),
    ("La famille loue une chambre au 27 rue des Palmiers.", "fr"),
    ("On le trouve en face de la gare routière chaque matin.", "fr"),
    ("He sleeps behind the Central Mosque of Akwa.", "en"),
    ("They live at 14 Street 271.", "en"),
    ("Duerme en el jirón Huallaga, frente al mercado.", "es"),
    ("Vive en la calle Los Olivos 123.", "es"),
    ("تقيم الأسرة في 14 زنقة الياسمين قرب مسجد الحي.", "ar"),
    ("Matory eo anoloan'ny gara Soarano izy.", "mg"),
    ("គ្រួសារជួលបន្ទប់នៅផ្ទះលេខ៤៥ ផ្លូវ២៧១។", "km"),
])
def test_addresses_and_precise_places(text, lang):
    assert "address" in kinds(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("Nous travaillons à Douala et près de Yaoundé.", "fr"),
    ("Terre des hommes recrute deux éducateurs de rue pour Brazzaville.", "fr"),
    ("A boy asked us for help near the station.", "en"),
    ("Encontramos 37 NNA en situación de calle, 9 de ellas niñas.", "es"),
    ("La tasa es del 62 %, frente al 55 % el año pasado.", "es"),
])
def test_city_names_and_street_work_are_not_addresses(text, lang):
    assert "address" not in kinds(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("Le père a présenté sa CNI n° 123456789.", "fr"),
    ("Il a présenté sa carte nationale AB123456.", "fr"),
    ("Case no. 2023-CS-0145 went to the juvenile judge.", "en"),
    ("Revisen la ficha del caso DEMUNA 118-2022.", "es"),
    ("Su DNI es 45879632.", "es"),
    ("أُحيل الملف رقم 2023/0457 إلى قاضي الأحداث.", "ar"),
    ("សំណុំរឿងលេខ CP-2023-0457 ត្រូវបានបញ្ជូនទៅតុលាការ។", "km"),
])
def test_identity_and_case_numbers(text, lang):
    assert "id_number" in kinds(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("Ce matin, Moussa Traoré a encore fugué.", "fr"),
    ("Jean-Baptiste Kalala a repris contact avec son père.", "fr"),
    ("La petite Aïcha pleure chaque nuit.", "fr"),
    ("Mon fils Junior a été arrêté hier.", "fr"),
    ("The young man, Rachid El Amrani, arrived from Nador.", "en"),
    ("The boy called Ibrahim refuses to say where he comes from.", "en"),
    ("El niño Jhon duerme en el parque.", "es"),
    ("La niña Milagros no quiere volver a casa.", "es"),
    ("Llegó Yeferson ayer. Ahora Yeferson come con los demás.", "es"),
    ("الطفلة آية تبكي كل ليلة.", "ar"),
    ("القاصر الذي يُدعى عمر يقيم عندنا.", "ar"),
    ("Ilay zazavavy antsoina hoe Tiana mitomany.", "mg"),
    ("Nandositra i Hery Rakotondrabe omaly.", "mg"),
    ("កូនប្រុសខ្ញុំឈ្មោះ ដារ៉ា ត្រូវប៉ូលីសចាប់។", "km"),
])
def test_person_names(text, lang):
    assert "name" in kinds(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("Un enfant de 12 ans a été orienté vers le centre d'accueil.", "fr"),
    ("Le Samu Social de Douala et l'UNICEF organisent une formation à Yaoundé.", "fr"),
    ("Caritas et Terre des hommes travaillent à Kinshasa et à Brazzaville.", "fr"),
    ("Hier, la maraude du mardi a rencontré 37 enfants.", "fr"),
    ("A 15-year-old was referred to the drop-in centre in Phnom Penh.", "en"),
    ("The Ministry of Social Affairs and UNICEF met in Antananarivo.", "en"),
    ("El INABIF y la DEMUNA de Lima coordinan con Caritas.", "es"),
    ("Un niño de 12 años fue derivado al hogar en Lima.", "es"),
    ("تم توجيه طفل يبلغ من العمر 12 سنة إلى مركز الاستقبال.", "ar"),
    ("Zaza 12 taona no nalefa tany amin'ny foibe fandraisana.", "mg"),
    ("ក្មេងអាយុ១២ឆ្នាំម្នាក់ត្រូវបានបញ្ជូនទៅមណ្ឌលស្វាគមន៍។", "km"),
    ("យើងបានជួបកុមារជិត ១០០ នាក់ នៅខែនេះ។", "km"),
    ("How To Approach A Child Who Refuses Help", "en"),
    ("Our team met the Prime Minister's adviser; the New Year outreach went well.", "en"),
    ("Le budget 2024-2025 a été voté ; voir la loi n° 2007-023 et l'article 12.", "fr"),
    ("Il est né en 2012, d'après son oncle, et il est né à Bamako.", "fr"),
    ("He was born in Kinshasa but grew up in Brazzaville.", "en"),
    ("La petite a 9 ans et mon fils a commencé le foot.", "fr"),
    ("Working with the Child Protection Unit in Goma.", "en"),
    ("الطفل في الشارع يحتاج إلى الثقة قبل كل شيء.", "ar"),
])
def test_the_ordinary_vocabulary_of_the_field_is_harmless(text, lang):
    assert find(text, lang) == []


def test_overlapping_findings_keep_the_most_specific():
    # "الطفلة" before the birth cue must not hide the date of birth, nor a name the phone.
    assert [m.kind for m in find("ولدت الطفلة بتاريخ 05/06/2012.", "ar")] == ["birth_date"]
    text = "Appelez Jean Mbarga au +237 677 12 34 56."
    assert [m.kind for m in find(text, "fr")] == ["name", "phone"]


def test_arabic_vowel_signs_do_not_hide_a_cue():
    assert "birth_date" in kinds("وُلِدَت الطفلة بتاريخ 05/06/2012.", "ar")


def test_accents_and_an_unknown_language():
    assert "name" in kinds("Nous avons vu Zoé Ngô Bạch hier soir.", "fr")
    assert "email" in kinds("write to someone@example.org", "xx")
    assert find("", "fr") == []


def _scores(labelled):
    rows = {}
    for lang, sets in labelled.items():
        tp = sum(1 for text in sets["identifying"] if find(text, lang))
        fp = sum(1 for text in sets["harmless"] if find(text, lang))
        rows[lang] = (len(sets["identifying"]), len(sets["harmless"]), tp, fp,
                      len(sets["identifying"]) - tp)
    rows["overall"] = tuple(sum(r[i] for r in rows.values()) for i in range(5))
    return rows


def test_precision_and_recall_on_the_labelled_set():
    labelled = json.loads(LABELLED.read_text(encoding="utf-8"))
    for lang, sets in labelled.items():
        assert sets["identifying"] and sets["harmless"], lang
    rows = _scores(labelled)
    print(f"\n{'lang':8} {'ident':>5} {'harml':>5} {'TP':>4} {'FP':>4} {'FN':>4} "
          f"{'precision':>9} {'recall':>6}")
    for lang, (ident, harml, tp, fp, fn) in rows.items():
        prec = tp / (tp + fp) if tp + fp else 1.0
        print(f"{lang:8} {ident:5} {harml:5} {tp:4} {fp:4} {fn:4} {prec:9.3f} "
              f"{tp / ident:6.3f}")
    ident, _, tp, fp, _ = rows["overall"]
    assert tp / ident >= 0.95
    assert tp / (tp + fp) >= 0.85


def test_a_line_of_names_is_not_taken_for_a_title():
    # Capitals on most words of a line usually mean a title ("How To Approach A Child"); a
    # line with commas and sentences in it is text, whose capitals are names.
    text = "Moussa Diallo, 12 years old. Call Aminata Traoré at the shelter."
    names = [m.text for m in find(text, "en") if m.kind == "name"]
    assert "Moussa Diallo" in names and any("Aminata Traoré" in n for n in names)
    assert find("How To Approach A Frightened Child In The Street", "en") == []
