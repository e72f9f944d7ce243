"""Search benchmark: indexing rate, query latency and relevance of each engine (DESIGN §5, §9).

Usage (from the project folder):

    .venv/bin/python bench/search.py                    # 100,000 posts, every engine
    .venv/bin/python bench/search.py --docs 5000        # a quick run
    .venv/bin/python bench/search.py --backends whoosh,fts5 --queries 400
    .venv/bin/python bench/search.py --judged-only --judged-detail   # relevance only, seconds
    CARNETS_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/search.py                # PostgreSQL server to use

What it does:

1. Builds a deterministic (seeded) corpus of synthetic field-work posts: mostly French,
   English and Spanish, a share in Arabic, Khmer (written without spaces) and Malagasy;
   titles of 6-12 words, bodies of 40-150 words drawn from a Zipf-weighted vocabulary plus
   a long tail of place and organisation names; tags from a fixed list, users, scores,
   creation dates, some accepted. They are `SearchDocument`s (question:1..N): the engines
   are fed directly, without the web application's database.
2. Indexes them with each engine through its bulk path, `backend.rebuild(documents)`
   (analysis included), and prints the time and documents per second.
   - whoosh: `WhooshBackend` in a temporary folder;
   - postgres: `PostgresBackend` in a scratch database created for the run and dropped after
     it, on CARNETS_BENCH_POSTGRES_URL or --postgres-url (the server's `postgres` database
     is used only to create and drop it); "skipped: <reason>" when the module or the server
     is missing;
   - fts5: the reference, SQLite FTS5 (`unicode61 remove_diacritics 2`) in a temporary file,
     same corpus, title/body/tags columns and a side table for the other filters.
3. Runs a fixed mix of queries (seeded; 240 by default): single words, two to four words,
   quoted phrases, filters (tag:, lang:, is:accepted), exclusions, misspelt words ("did you
   mean"), words typed without their accents, some sorted by newest or votes. Each query is
   timed end to end as a reader gets it: `service.search()` (parse, plan, engine, highlighted
   title and snippet of each hit of the page, corrections and the corrected second search
   when nothing matched), with the cards served from memory instead of the database. FTS5 runs
   the same mix translated plainly into MATCH expressions, with bm25(), highlight() and
   snippet(), and a count of the matches (the engines return the total too).
   Each engine answers the whole mix once to warm up, then it is timed over --rounds rounds;
   the median and p95 are taken over every timed run.
4. Prints per engine: index time, docs/s, median and p95 latency in ms, the targets of
   DESIGN §9 (Whoosh median ≤ 30 ms and p95 ≤ 100 ms; PostgreSQL p95 ≤ 50 ms) and Whoosh's
   bulk indexing rate against 1,700 docs/s (issue 17), with the ratio and PASS or MISS, and
   the ratios to FTS5. Latency per query kind is printed too.
5. Relevance on a judged set (bench/judged.json, --judged): about seventy realistic field
   posts in the six languages, grouped by subject (street outreach, trust, family
   reunification, first contact, solvent sniffing, birth registration...), with distractors
   that share the queries' common words but not their subject, and some forty queries a
   reader would type (six or seven per language), each listing the posts that should come
   first: every post on its subject, in any language. Each engine indexes this corpus alone
   (a second, small index) and answers each query through `service.search()` as above; FTS5
   gets the queries translated plainly (no stemming, no thesaurus). Printed per engine and per
   query language: precision at 5 (the share of the first five results judged relevant; the
   best possible is below 1 where a subject has fewer than five posts) and MRR (mean of
   1/rank of the first relevant result on the first page, 0 when none is there).
   --judged-only skips the speed measures; --judged-detail prints every query's figures.

It always exits 0: it is a measuring tool, not a test.
"""
import argparse
import contextlib
import importlib
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script, whatever the current folder

from search_index.documents import SearchDocument  # noqa: E402

SEED = 20261101
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGETS = {"whoosh": (30.0, 100.0), "postgres": (None, 50.0)}
JUDGED = Path(__file__).resolve().with_name("judged.json")
# Precision is read in the first five results, the reciprocal rank in the first page.
TOP, PAGE = 5, 10
# Bulk indexing (`flask search rebuild`), documents per second: Whoosh must index 100,000
# posts in a minute (issue 17).
INDEX_TARGETS = {"whoosh": 1700}

# Share of the corpus per content language.
LANG_SHARE = {"fr": 0.32, "en": 0.26, "es": 0.18, "ar": 0.08, "km": 0.08, "mg": 0.08}

VOCABULARY = {
    "fr": """maraude hébergement distribution alimentaire santé accès soins familles enfants
        école scolarisation eau potable puits latrines hygiène vaccination dispensaire
        médicaments infirmière médecin bénévoles équipe terrain village quartier mairie
        préfecture papiers titre séjour demande asile hébergement urgence nuitée accueil jour
        permanence juridique avocat recours refus dossier rendez-vous domiciliation adresse
        courrier compte bancaire allocation logement bailleur expulsion trêve hivernale
        chauffage couvertures tentes campement évacuation police mineurs isolés évaluation
        âge département protection enfance éducateur foyer hôtel social insertion emploi
        formation stage chantier contrat intérim salaire déclaration impôts retraite
        handicap fauteuil accessibilité transport ticket bus gare train frontière passeurs
        traversée naufrage sauvetage bateau côte garde-côtes association collectif réseau
        partenaires financement subvention budget rapport bilan indicateurs enquête
        questionnaire entretien témoignage interprète traduction langue apprentissage cours
        alphabétisation bibliothèque atelier cuisine repas colis épicerie solidaire marché
        récolte sécheresse inondation semences engrais bétail vétérinaire pâturage
        coopérative microcrédit remboursement épargne téléphone réseau batterie recharge
        électricité panneau solaire générateur carburant pénurie prix inflation loyer
        caution garant médiation conflit voisinage violence plainte commissariat tribunal
        audience jugement appel délai notification préfet ministère circulaire réforme loi
        décret régularisation naturalisation mariage naissance acte état civil certificat
        médical psychiatrique psychologue écoute souffrance deuil addiction substitution
        réduction risques seringues dépistage vih hépatite tuberculose paludisme choléra
        nutrition malnutrition allaitement grossesse maternité sage-femme accouchement""",
    "en": """outreach shelter food distribution health access care families children school
        enrolment drinking water well latrines hygiene vaccination clinic medicine nurse
        doctor volunteers team field village neighbourhood council office papers residence
        permit asylum claim emergency housing night reception drop-in legal advice lawyer
        appeal refusal file appointment address mail bank account benefit landlord eviction
        winter heating blankets tents camp evacuation police unaccompanied minors age
        assessment child protection social worker hostel hotel employment training
        internship worksite contract wages tax pension disability wheelchair accessibility
        transport ticket bus station train border smugglers crossing shipwreck rescue boat
        coast guard association collective network partners funding grant budget report
        indicators survey questionnaire interview testimony interpreter translation language
        learning classes literacy library workshop kitchen meals parcels grocery market
        harvest drought flood seeds fertiliser livestock vet pasture cooperative microcredit
        repayment savings phone signal battery charging electricity solar panel generator
        fuel shortage prices inflation rent deposit guarantor mediation conflict neighbours
        violence complaint court hearing judgement deadline notice ministry circular reform
        law decree regularisation citizenship marriage birth certificate registry medical
        psychiatric psychologist listening grief addiction harm reduction syringes testing
        hiv hepatitis tuberculosis malaria cholera nutrition malnutrition breastfeeding
        pregnancy maternity midwife delivery referral follow-up caseworker supervision""",
    "es": """calle albergue distribución alimentos salud acceso atención familias niños
        escuela matrícula agua potable pozo letrinas higiene vacunación clínica
        medicamentos enfermera médico voluntarios equipo terreno pueblo barrio
        ayuntamiento oficina papeles residencia permiso asilo solicitud emergencia vivienda
        noche acogida asesoría jurídica abogado recurso denegación expediente cita dirección
        correo cuenta bancaria prestación alquiler desalojo invierno calefacción mantas
        tiendas campamento evacuación policía menores acompañados edad evaluación protección
        infancia educador hogar hotel empleo formación prácticas obra contrato salario
        impuestos pensión discapacidad silla ruedas accesibilidad transporte billete
        autobús estación tren frontera traficantes cruce naufragio rescate barco costa
        guardia asociación colectivo red socios financiación subvención presupuesto informe
        indicadores encuesta cuestionario entrevista testimonio intérprete traducción idioma
        aprendizaje clases alfabetización biblioteca taller cocina comidas paquetes tienda
        solidaria mercado cosecha sequía inundación semillas abono ganado veterinario pasto
        cooperativa microcrédito reembolso ahorro teléfono señal batería carga electricidad
        panel solar generador combustible escasez precios inflación fianza avalista
        mediación conflicto vecinos violencia denuncia comisaría tribunal audiencia
        sentencia plazo notificación ministerio reforma ley decreto regularización
        nacionalidad matrimonio nacimiento certificado registro médico psicólogo escucha
        duelo adicción reducción daños jeringuillas prueba hepatitis tuberculosis malaria
        cólera nutrición desnutrición lactancia embarazo maternidad partera parto""",
    "ar": """صحة ماء غذاء أطفال مدرسة عائلة قرية مساعدة عمل مستشفى دواء سكن نساء تعليم وثائق
        تسجيل مزارع سوق طريق لاجئين توزيع متطوعين تدريب تقرير ميزانية مشروع مجتمع بئر لقاح
        خيمة مخيم حدود محامي لجوء طلب إقامة إيجار كهرباء هاتف مطبخ وجبات ممرضة طبيب عيادة
        نظافة مراحيض فيضان جفاف بذور ماشية تعاونية قرض ادخار عنف شكوى محكمة قانون مرسوم
        شهادة ولادة زواج حمل ولادة رضاعة سوء تغذية ملاريا كوليرا سل فحص إعاقة نقل حافلة
        قطار قارب إنقاذ شرطة قاصرون حماية طفولة مرشد فندق إسكان شتاء بطانيات تدفئة""",
    "km": """សុខភាព ទឹក អាហារ កុមារ សាលារៀន គ្រួសារ ភូមិ ជំនួយ ការងារ មន្ទីរពេទ្យ ថ្នាំ ផ្ទះ
        ស្ត្រី ការអប់រំ ឯកសារ ការចុះឈ្មោះ កសិករ ស្រូវ ទីផ្សារ ផ្លូវ អ្នកស្ម័គ្រចិត្ត
        ការបណ្តុះបណ្តាល របាយការណ៍ ថវិកា គម្រោង សហគមន៍ អណ្តូង វ៉ាក់សាំង ជំរំ ព្រំដែន
        មេធាវី ឯកសារ ការជួល អគ្គិសនី ទូរស័ព្ទ ផ្ទះបាយ គិលានុបដ្ឋាយិកា វេជ្ជបណ្ឌិត
        អនាម័យ ទឹកជំនន់ គ្រាប់ពូជ សត្វពាហនៈ សហករណ៍ ឥណទាន សន្សំ អំពើហិង្សា
        តុលាការ ច្បាប់ សំបុត្រកំណើត អាពាហ៍ពិពាហ៍ មាតុភាព គ្រុនចាញ់ អាហារូបត្ថម្ភ""",
    "mg": """fahasalamana rano sakafo ankizy sekoly fianakaviana tanàna fanampiana asa hopitaly
        fanafody trano vehivavy fanabeazana taratasy fisoratana tantsaha vary tsena lalana
        mpanampy fiofanana tatitra tetikasa fiarahamonina fantsakana vakisiny mpiasa orana
        haintany tondra-drano voa omby fikambanana findramam-bola tahiry herisetra fitoriana
        fitsarana lalàna kopia fahaterahana fanambadiana fitondrana-vohoka tazomoka kolera
        sarin-tany mpitsabo dokotera toeram-pitsaboana fahadiovana kabone fitaterana
        fiara-fitateram-bahoaka sambo fanavotana polisy zaza fiarovana fandraisana
        fialofana ririnina bodofotsy jiro herinaratra finday lakozia fandrahoana""",
}

# Words between the meaningful ones, so that bodies read like sentences (and stop words are
# analysed as in real posts).
FILLERS = {
    "fr": "le la les de des du un une et pour avec dans sur par nous on est sont qui que au",
    "en": "the a of and to in for with on by we it is are that this at from our",
    "es": "el la los las de del un una y para con en por nos se es son que al",
    "ar": "في من على إلى عن مع هذا هذه التي الذي",
    "km": "",
    "mg": "ny sy amin ho fa dia izy ary tamin ao",
}

TAGS = """maraude hebergement sante juridique asile mineurs alimentation eau hygiene education
    emploi logement formation transport frontiere sauvetage benevoles financement rapport
    interpretation nutrition vaccination agriculture microcredit violence etat-civil
    handicap psychologie addiction secheresse inondation energie telephone cuisine
    mediation""".split()

SYLLABLES = ("ba be bi bo ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se "
             "si so ta te ti to va vi vo za zi an am on in tsi dra mba ndo").split()

FUZZY_KINDS = ("drop", "swap", "double", "replace")


@dataclass
class Query:
    kind: str
    text: str
    sort: str = "relevance"


def zipf_weights(count, exponent=1.0):
    return [1.0 / (rank + 2) ** exponent for rank in range(count)]


class Corpus:
    """A seeded generator of SearchDocuments and of queries that fit them."""

    def __init__(self, seed=SEED):
        self.random = random.Random(seed)
        rnd = self.random
        self.words = {lang: list(dict.fromkeys(text.split())) for lang, text in VOCABULARY.items()}
        for words in self.words.values():
            rnd.shuffle(words)
        self.cumulative = {}
        for lang, words in self.words.items():
            weights = zipf_weights(len(words), 0.9)
            total, cumulative = 0.0, []
            for weight in weights:
                total += weight
                cumulative.append(total)
            self.cumulative[lang] = cumulative
        self.fillers = {lang: text.split() for lang, text in FILLERS.items()}
        # A long tail of names (places, organisations, people) shared by every language.
        names = set()
        while len(names) < 6000:
            names.add("".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))))
        self.names = sorted(names)
        rnd.shuffle(self.names)
        total, self.name_cumulative = 0.0, []
        for weight in zipf_weights(len(self.names), 1.1):
            total += weight
            self.name_cumulative.append(total)
        self.users = [f"user{n}" for n in range(2000)]
        self.langs = list(LANG_SHARE)
        self.lang_cumulative = []
        total = 0.0
        for lang in self.langs:
            total += LANG_SHARE[lang]
            self.lang_cumulative.append(total)

    def _words(self, lang, count):
        rnd = self.random
        picked = rnd.choices(self.words[lang], cum_weights=self.cumulative[lang], k=count)
        fillers = self.fillers[lang]
        out = []
        for word in picked:
            roll = rnd.random()
            if roll < 0.06:
                out.append(rnd.choices(self.names, cum_weights=self.name_cumulative)[0]
                           .capitalize())
            elif fillers and roll < 0.40:
                out.append(rnd.choice(fillers))
            out.append(word)
        return out[:count]

    def _sentence_text(self, lang, words):
        if lang == "km":
            # Khmer is written without spaces between words; spaces separate phrases.
            chunks, out = [], []
            for word in words:
                out.append(word)
                if len(out) >= self.random.randint(3, 6):
                    chunks.append("".join(out))
                    out = []
            if out:
                chunks.append("".join(out))
            return " ".join(chunks)
        text, sentence = [], []
        for word in words:
            sentence.append(word)
            if len(sentence) >= self.random.randint(8, 16):
                text.append(" ".join(sentence).capitalize() + ".")
                sentence = []
        if sentence:
            text.append(" ".join(sentence).capitalize() + ".")
        return " ".join(text)

    def documents(self, count):
        rnd = self.random
        start = datetime(2020, 1, 1)
        for ident in range(1, count + 1):
            lang = rnd.choices(self.langs, cum_weights=self.lang_cumulative)[0]
            title = self._words(lang, rnd.randint(6, 12))
            title_text = ("".join(title) if lang == "km" else " ".join(title).capitalize() + " ?")
            body = self._sentence_text(lang, self._words(lang, rnd.randint(40, 150)))
            answers = rnd.choices((0, 1, 2, 3, 5), weights=(25, 30, 20, 15, 10))[0]
            yield SearchDocument(
                kind="question", id=ident, title=title_text, text=body, lang=lang,
                created_at=start + timedelta(minutes=ident * 25 + rnd.randint(0, 20)),
                tags=sorted(set(rnd.sample(TAGS, rnd.randint(1, 4)))),
                users=rnd.sample(self.users, 1 + min(answers, 3)),
                score=int(rnd.gauss(2, 4)), answer_count=answers,
                accepted=answers > 0 and rnd.random() < 0.35)

    # Queries ------------------------------------------------------------------------------

    def _word(self, lang, common=True):
        words = self.words[lang]
        return self.random.choice(words[:30] if common else words[30:])

    def queries(self, count, sample_documents):
        """A fixed mix of `count` queries; phrases come from `sample_documents`."""
        rnd = random.Random(SEED + 1)
        self.random = rnd
        plan = [("word", 0.17), ("rare word", 0.08), ("words", 0.17), ("phrase", 0.10),
                ("tag filter", 0.07), ("lang filter", 0.06), ("accepted", 0.05),
                ("exclusion", 0.06), ("misspelt", 0.09), ("unaccented", 0.07),
                ("filter only", 0.03), ("newest", 0.025), ("votes", 0.025)]
        kinds = []
        for kind, share in plan:
            kinds += [kind] * max(1, round(share * count))
        kinds = (kinds * 2)[:count]
        rnd.shuffle(kinds)
        latin = ("fr", "en", "es")
        out = []
        for kind in kinds:
            lang = rnd.choices(self.langs, cum_weights=self.lang_cumulative)[0]
            if kind == "word":
                out.append(Query(kind, self._word(lang)))
            elif kind == "rare word":
                out.append(Query(kind, rnd.choice([self._word(lang, False),
                                                   rnd.choice(self.names[:800])])))
            elif kind == "words":
                n = rnd.randint(2, 4)
                out.append(Query(kind, " ".join(self._word(lang, rnd.random() < 0.6)
                                                for _ in range(n))))
            elif kind == "phrase":
                out.append(Query(kind, f'"{self._phrase(rnd, sample_documents)}"'))
            elif kind == "tag filter":
                out.append(Query(kind, f"{self._word(lang)} tag:{rnd.choice(TAGS)}"))
            elif kind == "lang filter":
                out.append(Query(kind, f"{self._word(lang)} lang:{lang}"))
            elif kind == "accepted":
                out.append(Query(kind, f"{self._word(lang)} {self._word(lang)} is:accepted"))
            elif kind == "exclusion":
                out.append(Query(kind, f"{self._word(lang)} -{self._word(lang)}"))
            elif kind == "misspelt":
                lang = rnd.choice(latin + ("mg",))
                word = rnd.choice([w for w in self.words[lang] if len(w) >= 6])
                out.append(Query(kind, _misspell(rnd, word)))
            elif kind == "unaccented":
                lang = rnd.choice(("fr", "es"))
                accented = [w for w in self.words[lang] if not w.isascii()]
                words = [_strip_accents(rnd.choice(accented))]
                if rnd.random() < 0.4:
                    words.append(self._word(lang))
                out.append(Query(kind, " ".join(words)))
            elif kind == "filter only":
                out.append(Query(kind, rnd.choice([f"tag:{rnd.choice(TAGS)}",
                                                   f"tag:{rnd.choice(TAGS)} is:accepted",
                                                   f"lang:{lang}"])))
            else:  # sorted searches
                words = " ".join(self._word(lang) for _ in range(rnd.randint(1, 2)))
                out.append(Query(kind, words, sort=kind))
        # A share of the ranked word queries is also asked sorted, as readers switch tabs.
        for query in out:
            if query.kind in ("words", "tag filter") and rnd.random() < 0.25:
                query.sort = rnd.choice(("newest", "votes"))
        return out

    @staticmethod
    def _phrase(rnd, documents):
        while True:
            document = rnd.choice(documents)
            words = [w.strip(".?") for w in document.text.split()]
            if document.lang == "km" or len(words) < 6:
                if document.lang == "km" and words:
                    run = rnd.choice(words)
                    return run[: rnd.randint(4, min(12, len(run)))] if len(run) > 4 else run
                continue
            start = rnd.randint(0, len(words) - 4)
            return " ".join(words[start:start + rnd.randint(2, 3)])


def _misspell(rnd, word):
    position = rnd.randint(1, len(word) - 2)
    how = rnd.choice(FUZZY_KINDS)
    if how == "drop":
        return word[:position] + word[position + 1:]
    if how == "swap":
        return word[:position] + word[position + 1] + word[position] + word[position + 2:]
    if how == "double":
        return word[:position] + word[position] + word[position:]
    return word[:position] + rnd.choice("aeiourst") + word[position + 1:]


def _strip_accents(word):
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# The engines of the application --------------------------------------------------------


class Card:
    """What the results page reads of a card; served from memory here."""

    def __init__(self, document):
        self.kind, self.id, self.title, self.lang = "question", document.id, document.title, \
            document.lang
        self.url = f"/questions/{document.id}"
        self.tags, self.score = document.tags, document.score
        self.answer_count, self.accepted = document.answer_count, document.accepted
        self.author_name, self.author_url = document.users[0], f"/users/{document.users[0]}"
        self.updated_at = document.created_at


class MemoryProvider:
    """The forum provider's `cards`, minus the database: the engines are what is measured."""

    kind = "question"

    def __init__(self, documents):
        self.cards_by_id = {document.id: Card(document) for document in documents}

    def cards(self, ids, viewer):
        return {ident: self.cards_by_id[ident] for ident in ids if ident in self.cards_by_id}

    def load(self, session, ids):
        return {}

    def batches(self, session, size):
        return iter(())


def make_app(folder, database_url, **extra):
    from core import create_app
    from core.extensions import db

    app = create_app({"TESTING": True, "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                      "PAGE_CACHE_SECONDS": 0, **extra})
    with app.app_context():
        db.create_all()
    return app


def app_latencies(app, provider, queries, rounds):
    """Per-query latencies (ms) of service.search over the mix, after a warm-up round."""
    from search_index import registry, service

    with app.app_context():
        registry.state().providers["question"] = provider
    timings = {index: [] for index in range(len(queries))}
    totals = {}
    with app.test_request_context("/search"):
        for round_number in range(rounds + 1):
            for index, query in enumerate(queries):
                start = time.perf_counter()
                results = service.search(query.text, sort=query.sort)
                elapsed = (time.perf_counter() - start) * 1000
                if round_number:
                    timings[index].append(elapsed)
                else:
                    totals[index] = results.total
    return list(timings.values()), totals


def _with_concepts(documents):
    """The documents as the indexing queue gives them: with their thesaurus concepts."""
    from search_index import indexing, registry

    concepts = registry.state().thesaurus.get()
    return (indexing.with_concepts(document, concepts) for document in documents)


def run_whoosh(documents, queries, rounds, folder):
    from search_index import registry
    from search_index.whoosh_backend import WhooshBackend

    index_dir = folder / "whoosh-index"
    app = make_app(folder / "whoosh-app", f"sqlite:///{folder / 'whoosh-app.sqlite'}",
                   SEARCH_WHOOSH_DIR=str(index_dir))
    with app.app_context():
        backend = registry.backend()
        assert isinstance(backend, WhooshBackend)
        start = time.perf_counter()
        count = backend.rebuild(_with_concepts(documents))
        seconds = time.perf_counter() - start
        stats = backend.stats()
    latencies, totals = app_latencies(app, MemoryProvider(documents), queries, rounds)
    with app.app_context():
        registry.backend().close()
    size = sum(path.stat().st_size for path in index_dir.rglob("*") if path.is_file())
    return {"count": count, "seconds": seconds, "latencies": latencies, "totals": totals,
            "note": f"{stats.get('segments', '?')} segment(s), {size / 1e6:.0f} MB"}


@contextlib.contextmanager
def postgres_app(folder, url, documents):
    """(application, seconds its rebuild took, documents indexed) on a scratch database of
    `url` whose index holds `documents`; the database is dropped on exit."""
    with scratch_database(url) as database_url:
        from core.extensions import db
        from search_index import registry

        app = make_app(folder, database_url, SEARCH_BACKEND="postgres")
        try:
            with app.app_context():
                backend = registry.backend()
                if hasattr(backend, "create_schema"):
                    backend.create_schema()
                start = time.perf_counter()
                count = backend.rebuild(_with_concepts(documents))
                # rebuild() ends with VACUUM (ANALYZE).
                seconds = time.perf_counter() - start
            yield app, seconds, count
        finally:
            with app.app_context():
                registry.backend().close()
                for engine in db.engines.values():
                    engine.dispose()


def _postgres_skip(error):
    return {"skipped": f"PostgreSQL: {type(error).__name__}: "
                       f"{str(error).splitlines()[0] if str(error) else ''}"}


def run_postgres(documents, queries, rounds, folder, url):
    try:
        importlib.import_module("search_index.pg_backend")
    except ImportError as error:
        return {"skipped": f"search_index.pg_backend cannot be imported ({error})"}
    try:
        with postgres_app(folder / "pg-app", url, documents) as (app, seconds, count):
            latencies, totals = app_latencies(app, MemoryProvider(documents), queries, rounds)
            name = app.config["SQLALCHEMY_DATABASE_URI"].rsplit("/", 1)[-1]
        return {"count": count, "seconds": seconds, "latencies": latencies,
                "totals": totals, "note": f"database {name} (dropped)"}
    except Exception as error:  # noqa: BLE001 — an unreachable server or a failing engine is a skip
        return _postgres_skip(error)


# The SQLite FTS5 reference -------------------------------------------------------------

FTS_TOKEN_RE = re.compile(r"[^\W_]+")


def fts_phrase(text):
    words = FTS_TOKEN_RE.findall(text)
    return '"' + " ".join(words) + '"' if words else None


def fts_translate(parsed, sort):
    """(MATCH expression or None, extra SQL conditions, parameters) of a parsed query."""
    groups = [fts_phrase(p) for p in parsed.phrases]
    words = [fts_phrase(w) for w in parsed.words]
    words = [w for w in words if w]
    groups = [g for g in groups if g]
    parts = []
    if words:
        joined = (" OR " if sort == "relevance" else " AND ").join(words)
        parts.append(f"({joined})" if len(words) > 1 else joined)
    parts += groups
    for tag in parsed.tags:
        parts.append(f'tags : "{tag}"')
    match = " AND ".join(parts) if parts else None
    if match:
        for excluded in parsed.excluded:
            phrase = fts_phrase(excluded)
            if phrase:
                match = f"({match}) NOT {phrase}"
    conditions, params = [], []
    if parsed.langs:
        conditions.append(f"meta.lang IN ({','.join('?' * len(parsed.langs))})")
        params += parsed.langs
    if "accepted" in parsed.flags:
        conditions.append("meta.accepted = 1")
    return match, conditions, params


def run_fts5(documents, queries, rounds, folder):
    from search_index.query import parse

    path = folder / "fts5.sqlite"
    connection = sqlite3.connect(path)
    connection.executescript("""
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE VIRTUAL TABLE posts USING fts5(
            title, body, tags, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE meta (id INTEGER PRIMARY KEY, lang TEXT, accepted INTEGER,
                           score INTEGER, created INTEGER);
    """)
    start = time.perf_counter()
    count = 0
    batch = []
    for document in documents:
        batch.append(document)
        if len(batch) == 2000:
            _fts_insert(connection, batch)
            count += len(batch)
            batch = []
    _fts_insert(connection, batch)
    count += len(batch)
    connection.executescript("""
        CREATE INDEX meta_lang ON meta (lang);
        CREATE INDEX meta_created ON meta (created);
        INSERT INTO posts(posts) VALUES ('optimize');
    """)
    connection.commit()
    seconds = time.perf_counter() - start
    langs = tuple(LANG_SHARE)
    timings = {index: [] for index in range(len(queries))}
    totals = {}
    for round_number in range(rounds + 1):
        for index, query in enumerate(queries):
            started = time.perf_counter()
            total = _fts_search(connection, parse(query.text, langs), query.sort)
            elapsed = (time.perf_counter() - started) * 1000
            if round_number:
                timings[index].append(elapsed)
            else:
                totals[index] = total
    connection.close()
    latencies = list(timings.values())
    return {"count": count, "seconds": seconds, "latencies": latencies, "totals": totals,
            "note": f"{path.stat().st_size / 1e6:.0f} MB"}


def _fts_insert(connection, documents):
    connection.executemany(
        "INSERT INTO posts(rowid, title, body, tags) VALUES (?, ?, ?, ?)",
        [(d.id, d.title, d.text, " ".join(d.tags)) for d in documents])
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
        [(d.id, d.lang, int(d.accepted), d.score, int(d.created_at.timestamp()))
         for d in documents])
    connection.commit()


def _fts_search(connection, parsed, sort):
    match, conditions, params = fts_translate(parsed, sort)
    order = {"newest": "meta.created DESC", "votes": "meta.score DESC, meta.created DESC"}.get(
        sort, "bm25(posts, 2.5, 1.0, 0.0)" if match else "meta.created DESC")
    where = list(conditions)
    if match:
        where.insert(0, "posts MATCH ?")
        params = [match] + params
        source = "posts JOIN meta ON meta.id = posts.rowid"
        columns = ("posts.rowid, highlight(posts, 0, '<mark>', '</mark>'), "
                   "snippet(posts, 1, '<mark>', '</mark>', '…', 36)")
    else:
        source = "meta JOIN posts ON posts.rowid = meta.id"
        columns = "meta.id, posts.title, substr(posts.body, 1, 220)"
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    try:
        total = connection.execute(f"SELECT count(*) FROM {source}{clause}", params).fetchone()[0]
        rows = connection.execute(f"SELECT {columns} FROM {source}{clause} ORDER BY {order} "
                                  f"LIMIT 10", params).fetchall()
    except sqlite3.OperationalError:
        return -1  # a query FTS5's syntax cannot express (counted, shown as an error)
    del rows
    return total


# The judged set: precision at 5 and MRR ------------------------------------------------


@dataclass
class JudgedQuery:
    lang: str
    text: str
    relevant: frozenset


@dataclass
class Judged:
    """The judged corpus as SearchDocuments (ids 1..n in file order) and its queries."""

    documents: list
    keys: dict  # document id -> key in the file
    queries: list

    def lang_of(self, key):
        return self.documents[list(self.keys.values()).index(key)].lang


def load_judged(path=JUDGED):
    """Read the judged set; a query naming an unknown post is an error in the file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    start = datetime(2024, 1, 1)
    documents, keys = [], {}
    for ident, entry in enumerate(data["documents"], 1):
        documents.append(SearchDocument(
            kind="question", id=ident, title=entry["title"], text=entry["text"],
            lang=entry["lang"], created_at=start + timedelta(days=ident),
            tags=list(entry.get("tags", [])), users=["judge"]))
        keys[ident] = entry["key"]
    known = set(keys.values())
    queries = []
    for entry in data["queries"]:
        unknown = set(entry["relevant"]) - known
        if unknown:
            raise ValueError(f"{path}: query {entry['text']!r} names unknown posts {unknown}")
        queries.append(JudgedQuery(entry["lang"], entry["text"], frozenset(entry["relevant"])))
    return Judged(documents, keys, queries)


def judged_app_rankings(app, judged):
    """The keys of the first page of service.search for each judged query."""
    from search_index import registry, service

    with app.app_context():
        registry.state().providers["question"] = MemoryProvider(judged.documents)
    rankings = []
    with app.test_request_context("/search"):
        for query in judged.queries:
            results = service.search(query.text)
            rankings.append([judged.keys[item.card.id] for item in results.items][:PAGE])
    return rankings


def judged_whoosh(judged, folder):
    from search_index import registry

    app = make_app(folder / "judged-whoosh-app", f"sqlite:///{folder / 'judged-whoosh.sqlite'}",
                   SEARCH_WHOOSH_DIR=str(folder / "judged-whoosh-index"))
    try:
        with app.app_context():
            registry.backend().rebuild(_with_concepts(judged.documents))
        return {"rankings": judged_app_rankings(app, judged)}
    finally:
        with app.app_context():
            registry.backend().close()


@contextlib.contextmanager
def scratch_database(url):
    """The URL of a new database on the server of `url`, dropped on exit."""
    import sqlalchemy as sa

    base = sa.make_url(url)
    scratch = f"carnets_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{scratch}"'))
        try:
            yield base.set(database=scratch).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
    finally:
        admin.dispose()


def judged_postgres(judged, folder, url):
    try:
        importlib.import_module("search_index.pg_backend")
    except ImportError as error:
        return {"skipped": f"search_index.pg_backend cannot be imported ({error})"}
    try:
        with postgres_app(folder / "judged-pg-app", url, judged.documents) as (app, *_):
            return {"rankings": judged_app_rankings(app, judged)}
    except Exception as error:  # noqa: BLE001 — a missing server is a skip, as above
        return _postgres_skip(error)


def judged_fts5(judged):
    """FTS5 with each query translated plainly (no stemming, no thesaurus), by bm25()."""
    from search_index.query import parse

    connection = sqlite3.connect(":memory:")
    connection.executescript("""
        CREATE VIRTUAL TABLE posts USING fts5(
            title, body, tags, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE meta (id INTEGER PRIMARY KEY, lang TEXT, accepted INTEGER,
                           score INTEGER, created INTEGER);
    """)
    _fts_insert(connection, judged.documents)
    rankings = []
    for query in judged.queries:
        match, conditions, params = fts_translate(parse(query.text, tuple(LANG_SHARE)),
                                                  "relevance")
        if not match:
            rankings.append([])
            continue
        where = " AND ".join(["posts MATCH ?"] + conditions)
        try:
            rows = connection.execute(
                f"SELECT posts.rowid FROM posts JOIN meta ON meta.id = posts.rowid "
                f"WHERE {where} ORDER BY bm25(posts, 2.5, 1.0, 0.0) LIMIT {PAGE}",
                [match] + params).fetchall()
        except sqlite3.OperationalError:
            rows = []
        rankings.append([judged.keys[row[0]] for row in rows])
    connection.close()
    return {"rankings": rankings}


def run_judged(judged, backends, folder, postgres_url):
    """{engine: {"rankings": [keys per query]} or {"skipped": reason}}."""
    results = {}
    if "fts5" in backends:
        results["fts5"] = judged_fts5(judged)
    if "whoosh" in backends:
        results["whoosh"] = judged_whoosh(judged, folder)
    if "postgres" in backends:
        results["postgres"] = judged_postgres(judged, folder, postgres_url)
    return results


def precision_at(ranked, relevant, k=TOP):
    return sum(1 for key in ranked[:k] if key in relevant) / k


def reciprocal_rank(ranked, relevant):
    return next((1 / rank for rank, key in enumerate(ranked[:PAGE], 1) if key in relevant),
                0.0)


def judged_scores(judged, rankings, langs=None):
    """(P@5, MRR, MRR of the first relevant post in another language than the query's)
    averaged over the queries in `langs` (every query when None)."""
    pairs = [(query, ranked) for query, ranked in zip(judged.queries, rankings)
             if langs is None or query.lang in langs]
    if not pairs:
        return None
    return (statistics.mean(precision_at(ranked, q.relevant) for q, ranked in pairs),
            statistics.mean(reciprocal_rank(ranked, q.relevant) for q, ranked in pairs),
            statistics.mean(reciprocal_rank(ranked, {key for key in q.relevant
                                                     if judged.lang_of(key) != q.lang})
                            for q, ranked in pairs))


def report_judged(judged, results, detail=False):
    langs = [lang for lang in LANG_SHARE if any(q.lang == lang for q in judged.queries)]
    ideal = statistics.mean(min(TOP, len(q.relevant)) / TOP for q in judged.queries)
    print(f"\n== judged set: {len(judged.queries)} queries over {len(judged.documents)} posts "
          f"({', '.join(f'{lang} {sum(1 for q in judged.queries if q.lang == lang)}' for lang in langs)})")
    print(f"   P@5: share of the first {TOP} results judged relevant (the best possible is "
          f"{ideal:.2f}: some subjects have fewer than {TOP} posts); MRR: mean of 1/rank of the "
          f"first relevant result on the first page ({PAGE}), 0 when there is none; "
          f"MRR other: the same for the first relevant post written in another language "
          f"than the query")
    print("   " + " " * 9 + f"{'P@5':>6}{'MRR':>6}{'MRR other':>11}   P@5 by query language: "
          + "".join(f"{lang:>6}" for lang in langs))
    for name in ("fts5", "whoosh", "postgres"):
        result = results.get(name)
        if result is None:
            continue
        if "skipped" in result:
            print(f"   {name:<9}skipped: {result['skipped']}")
            continue
        precision, mrr, other = judged_scores(judged, result["rankings"])
        by_lang = [judged_scores(judged, result["rankings"], {lang})[0] for lang in langs]
        print(f"   {name:<9}{precision:6.2f}{mrr:6.2f}{other:11.2f}" + " " * 26
              + "".join(f"{value:6.2f}" for value in by_lang))
    if detail:
        engines = [name for name in ("fts5", "whoosh", "postgres")
                   if name in results and "skipped" not in results[name]]
        print("   per query: relevant in the first five / rank of the first relevant / of the "
              "first relevant in another language")
        for index, query in enumerate(judged.queries):
            cells = []
            for name in engines:
                ranked = results[name]["rankings"][index]
                hits = sum(1 for key in ranked[:TOP] if key in query.relevant)
                first = next((rank for rank, key in enumerate(ranked, 1)
                              if key in query.relevant), None)
                other = next((rank for rank, key in enumerate(ranked, 1)
                              if key in query.relevant and judged.lang_of(key) != query.lang),
                             None)
                cells.append(f"{name} {hits}/{min(TOP, len(query.relevant))} "
                             f"first {first or '-'} other {other or '-'}")
            print(f"   [{query.lang}] {query.text}: " + "; ".join(cells))


# Report --------------------------------------------------------------------------------


def report(name, result, reference, queries):
    print(f"\n== {name}")
    if "skipped" in result:
        print(f"   skipped: {result['skipped']}")
        return
    rate = result["count"] / result["seconds"] if result["seconds"] else float("inf")
    per_query = result["latencies"]
    latencies = [value for values in per_query for value in values]
    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    result.update(rate=rate, median=median, p95=p95)
    print(f"   indexed {result['count']:,} documents in {result['seconds']:.1f} s: "
          f"{rate:,.0f} docs/s   ({result.get('note', '')})")
    print(f"   latency over {len(per_query)} queries × {len(per_query[0])} rounds: median {median:.1f} ms, "
          f"p95 {p95:.1f} ms, max {max(latencies):.1f} ms")
    median_target, p95_target = TARGETS.get(name, (None, None))
    verdicts = []
    if median_target is not None:
        verdicts.append(f"median ≤ {median_target:g} ms: "
                        f"{'PASS' if median <= median_target else 'MISS'}")
    if p95_target is not None:
        verdicts.append(f"p95 ≤ {p95_target:g} ms: {'PASS' if p95 <= p95_target else 'MISS'}")
    index_target = INDEX_TARGETS.get(name)
    if index_target:
        verdicts.append(f"indexing ≥ {index_target:,} docs/s: ×{rate / index_target:.2f} "
                        f"{'PASS' if rate >= index_target else 'MISS'}")
    print("   target: " + ("; ".join(verdicts) if verdicts else "none (reference)"))
    if reference and "median" in reference and name != "fts5":
        print(f"   vs FTS5: indexing rate ×{rate / reference['rate']:.2f}, "
              f"median ×{median / reference['median']:.2f}, p95 ×{p95 / reference['p95']:.2f}")
    by_kind = {}
    for query, values in zip(queries, per_query):
        by_kind.setdefault(query.kind, []).append(statistics.median(values))
    print("   by kind (median / max ms, n): " + ", ".join(
        f"{kind} {statistics.median(v):.1f}/{max(v):.0f} ({len(v)})"
        for kind, v in sorted(by_kind.items())))
    zero = sum(1 for total in result["totals"].values() if total == 0)
    errors = sum(1 for total in result["totals"].values() if total < 0)
    print(f"   queries with no result: {zero}" + (f", refused: {errors}" if errors else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="posts in the corpus")
    parser.add_argument("--queries", type=int, default=240, help="queries in the mix (≥ 200)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="timed rounds over the mix (every run counts)")
    parser.add_argument("--backends", default="whoosh,postgres,fts5")
    parser.add_argument("--postgres-url", default=os.environ.get("CARNETS_BENCH_POSTGRES_URL")
                        or DEFAULT_POSTGRES,
                        help="server where a scratch database is created and dropped")
    parser.add_argument("--show-queries", action="store_true")
    parser.add_argument("--judged", default=str(JUDGED),
                        help="judged set (queries and the posts that should come first)")
    parser.add_argument("--judged-only", action="store_true",
                        help="measure relevance on the judged set only, not speed")
    parser.add_argument("--judged-detail", action="store_true",
                        help="print the judged queries one by one")
    args = parser.parse_args()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]

    started = time.perf_counter()
    judged = load_judged(args.judged)
    if args.judged_only:
        folder = Path(tempfile.mkdtemp(prefix="carnets-bench-search-"))
        try:
            report_judged(judged, run_judged(judged, backends, folder, args.postgres_url),
                          args.judged_detail)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"\ntotal run time {time.perf_counter() - started:.0f} s")
        return
    corpus = Corpus()
    documents = list(corpus.documents(args.docs))
    queries = corpus.queries(args.queries, documents[: min(len(documents), 5000)])
    words = sum(len(d.title.split()) + len(d.text.split()) for d in documents)
    langs = {}
    for document in documents:
        langs[document.lang] = langs.get(document.lang, 0) + 1
    print(f"corpus: {len(documents):,} posts, {words / len(documents):.0f} words each on "
          f"average, built in {time.perf_counter() - started:.1f} s; languages: "
          + ", ".join(f"{lang} {n / len(documents):.0%}" for lang, n in langs.items()))
    kinds = {}
    for query in queries:
        kinds[query.kind] = kinds.get(query.kind, 0) + 1
    print(f"queries: {len(queries)} ({', '.join(f'{k} {n}' for k, n in kinds.items())}; "
          f"{sum(1 for q in queries if q.sort != 'relevance')} sorted by newest or votes); "
          f"{args.rounds} timed rounds after a warm-up round")
    if args.show_queries:
        for query in queries:
            print(f"   [{query.kind}] {query.text}  ({query.sort})")

    folder = Path(tempfile.mkdtemp(prefix="carnets-bench-search-"))
    results = {}
    try:
        if "fts5" in backends:
            results["fts5"] = run_fts5(documents, queries, args.rounds, folder)
        if "whoosh" in backends:
            results["whoosh"] = run_whoosh(documents, queries, args.rounds, folder)
        if "postgres" in backends:
            results["postgres"] = run_postgres(documents, queries, args.rounds, folder,
                                               args.postgres_url)
        judged_results = run_judged(judged, backends, folder, args.postgres_url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    reference = results.get("fts5")
    if reference and "skipped" not in reference:
        report("fts5", reference, None, queries)
    for name in ("whoosh", "postgres"):
        if name in results:
            report(name, results[name], reference, queries)
    report_judged(judged, judged_results, args.judged_detail)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
