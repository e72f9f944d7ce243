"""The guard's patterns: one table per content language, plus what all languages share.

Each entry is plain text (lower case, accents as written); detector.py turns them into
regular expressions. Only cue words live here, never names of real people.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class LanguagePatterns:
    """Cue words of one language."""
    # Words just before a person's name: "la petite", "mon fils", "el niño"
    name_triggers: tuple
    # Words before a place precise enough to find someone: "derrière", "rue", "calle"
    address_cues: tuple
    # Words before an exact date of birth: "né le", "born on"
    birth_cues: tuple
    # Month names (and abbreviations) as written in dates
    months: tuple
    # Words before an identity or case number: "dossier n°", "DNI"
    id_cues: tuple
    # Capitalised words that are ordinary at the start of a sentence or in titles
    common_words: tuple = ()
    # Among the address cues, street words: the street's name follows them at once
    # ("rue des Palmiers"), not a few words later ("éducateurs de rue pour son antenne")
    streets: tuple = ()
    # Among the address cues, vague ones: "près de la gare" is not precise, "près de la
    # gare Soarano" is, so a landmark alone is not enough after them
    vague: tuple = ()
    # Nouns of landmarks: after a place cue ("derrière le marché") they make a precise place
    landmarks: tuple = ()
    # Frequent first names, for scripts without capitals (a name is found without a trigger)
    first_names: tuple = ()
    # Words that introduce a name directly; in a script without spaces between words, the
    # other triggers count only when a space follows them
    naming_words: tuple = ()
    # True where the script has no capitals: names are only found after triggers
    caseless: bool = False


PATTERNS = {
    "fr": LanguagePatterns(
        name_triggers=(
            "la petite", "le petit", "la jeune", "le jeune", "la fillette", "le garçon",
            "la fille", "le gamin", "la gamine", "l'enfant", "mon fils", "ma fille",
            "son fils", "sa fille", "leur fils", "leur fille", "son frère", "sa sœur",
            "sa soeur", "son oncle", "sa tante", "sa mère", "son père", "sa grand-mère",
            "le nommé", "la nommée", "prénommé", "prénommée", "s'appelle", "appelé",
            "appelée", "surnommé", "surnommée", "il s'appelle", "elle s'appelle",
            "du nom de", "nommé", "nommée", "qu'on appelle", "appelle", "appelait",
        ),
        address_cues=(
            "derrière", "en face de", "en face du", "à côté de", "à côté du", "près de",
            "près du", "au coin de", "au coin du", "rue", "avenue", "boulevard", "quartier",
            "carrefour", "impasse", "ruelle", "chemin", "allée", "place", "lot", "parcelle",
            "porte", "villa", "immeuble", "au fond de", "au bout de", "sous le pont", "devant",
            "à l'angle de", "à l'angle du", "sous", "au niveau de", "au niveau du",
        ),
        streets=("rue", "avenue", "boulevard", "quartier", "impasse", "ruelle", "chemin",
                 "allée", "place", "lot", "parcelle", "porte", "villa", "immeuble"),
        vague=("près de", "près du", "sous", "au niveau de", "au niveau du"),
        landmarks=("marché", "gare", "école", "église", "mosquée", "pharmacie", "station",
                   "pont", "rond-point", "carrefour", "boulangerie", "boutique", "kiosque",
                   "hangar", "parking", "stade", "cinéma", "hôtel", "restaurant", "maquis",
                   "bar", "cimetière", "terminus", "arrêt", "dépôt", "entrepôt", "garage",
                   "commissariat", "mairie", "hôpital", "dispensaire", "centre de santé"),
        birth_cues=("né le", "née le", "né en", "née en", "né(e) le", "date de naissance",
                    "naissance", "né", "née"),
        months=("janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet",
                "août", "aout", "septembre", "octobre", "novembre", "décembre", "decembre",
                "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc"),
        id_cues=("dossier", "dossier n°", "n° de dossier", "numéro de dossier", "cni",
                 "carte d'identité", "passeport", "acte de naissance", "matricule", "nir",
                 "numéro", "réf", "référence"),
        common_words=(
            "le", "la", "les", "un", "une", "des", "il", "elle", "ils", "elles", "nous",
            "vous", "on", "je", "ce", "cet", "cette", "ces", "mon", "ma", "mes", "son", "sa",
            "ses", "leur", "leurs", "hier", "demain", "aujourd'hui", "depuis", "après",
            "avant", "pour", "avec", "sans", "dans", "chez", "quand", "comment", "pourquoi",
            "si", "mais", "et", "ou", "lors", "selon", "tous", "toutes", "chaque", "au",
            "aux", "du", "de", "en", "par", "sur", "sous", "merci", "bonjour", "bonsoir",
            "cela", "ça", "ceci", "voici", "voilà", "enfin", "puis", "ensuite", "donc",
            "alors", "aussi", "pourtant", "cependant", "parfois", "souvent", "toujours",
            "jamais", "certains", "plusieurs", "beaucoup", "quelques", "notre", "nos",
            "votre", "vos", "qui", "que", "quoi", "où", "est-ce", "attention", "bravo",
            "salut", "chers", "chères", "cher", "chère", "madame", "monsieur",
        ),
    ),
    "en": LanguagePatterns(
        name_triggers=(
            "the boy called", "the girl called", "the boy named", "the girl named",
            "a boy called", "a girl called", "a boy named", "a girl named", "my son",
            "my daughter", "his son", "her son", "his daughter", "her daughter", "his brother",
            "her brother", "his sister", "her sister", "his uncle", "her uncle", "his aunt",
            "her aunt", "his mother", "her mother", "his father", "her father", "little",
            "named", "called", "known as", "nicknamed", "his name is", "her name is",
            "the child", "the boy", "the girl", "young",
        ),
        address_cues=(
            "behind", "near the", "next to", "opposite", "in front of", "across from",
            "at the corner of", "corner of", "street", "st.", "road", "avenue", "lane",
            "house", "plot", "block", "compound", "under the bridge", "beside", "outside",
            "boulevard", "rue", "calle", "under", "at the back of",
        ),
        streets=("street", "st.", "road", "avenue", "lane", "house", "plot", "block",
                 "compound", "boulevard", "rue", "calle"),
        vague=("near the", "under", "outside", "beside"),
        landmarks=("market", "station", "school", "church", "mosque", "pharmacy", "bridge",
                   "roundabout", "bakery", "shop", "kiosk", "shelter", "car park", "parking",
                   "stadium", "cinema", "hotel", "restaurant", "bar", "cemetery", "terminal",
                   "bus stop", "depot", "warehouse", "garage", "pagoda", "temple"),
        birth_cues=("born on", "born", "date of birth", "dob", "d.o.b.", "birthday"),
        months=("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        id_cues=("case", "case no", "case number", "file", "file no", "id", "id number",
                 "national id", "passport", "birth certificate", "ref", "reference", "no."),
        common_words=(
            "the", "a", "an", "he", "she", "we", "they", "i", "you", "it", "his", "her",
            "their", "our", "my", "this", "that", "these", "those", "yesterday", "today",
            "tomorrow", "after", "before", "since", "when", "how", "why", "what", "if",
            "but", "and", "or", "for", "with", "without", "in", "on", "at", "during",
            "every", "each", "all", "thanks", "hello", "please", "last", "next", "mr", "mrs",
            "ms", "dr", "first", "our", "some", "most", "many", "one", "two", "there",
            "then", "so", "also", "however", "sometimes", "often", "always", "never",
            "several", "which", "who", "where", "is", "are", "do", "does", "can", "could",
            "should", "would", "will", "has", "have", "had", "was", "were", "not", "no",
            "yes", "as", "because", "while", "although", "thank", "dear", "hi", "any",
        ),
    ),
    "es": LanguagePatterns(
        name_triggers=(
            "el niño", "la niña", "el chico", "la chica", "el pequeño", "la pequeña",
            "el menor", "la menor", "el adolescente", "la adolescente", "mi hijo", "mi hija",
            "su hijo", "su hija", "su hermano", "su hermana", "su tío", "su tía", "su madre",
            "su padre", "su abuela", "llamado", "llamada", "se llama", "de nombre",
            "apodado", "apodada", "conocido como", "conocida como",
        ),
        address_cues=(
            "detrás de", "detrás del", "frente a", "frente al", "enfrente de", "al lado de",
            "al lado del", "cerca de", "cerca del", "en la esquina de", "esquina de", "calle",
            "jirón", "jr.", "avenida", "av.", "pasaje", "psje.", "mz", "manzana", "lote",
            "asentamiento humano", "aa.hh.", "urbanización", "debajo del puente", "debajo de",
            "debajo del", "delante de", "delante del", "afuera de", "afuera del",
        ),
        streets=("calle", "jirón", "jr.", "avenida", "av.", "pasaje", "psje.", "mz",
                 "manzana", "lote", "asentamiento humano", "aa.hh.", "urbanización"),
        vague=("cerca de", "cerca del", "debajo de", "debajo del", "afuera de", "afuera del"),
        landmarks=("mercado", "paradero", "terminal", "estación", "colegio", "escuela",
                   "iglesia", "farmacia", "puente", "óvalo", "panadería", "bodega", "tienda",
                   "quiosco", "kiosko", "estadio", "cine", "hotel", "restaurante", "cementerio",
                   "grifo", "parque", "plaza", "losa deportiva", "garaje", "cochera"),
        birth_cues=("nacido el", "nacida el", "nació el", "nacido en", "nacida en",
                    "fecha de nacimiento", "nacimiento", "nacido", "nacida", "nació"),
        months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                "septiembre", "setiembre", "octubre", "noviembre", "diciembre", "ene", "feb",
                "mar", "abr", "jun", "jul", "ago", "sep", "set", "oct", "nov", "dic"),
        id_cues=("dni", "expediente", "exp.", "expediente n°", "carné", "carnet",
                 "pasaporte", "partida de nacimiento", "caso", "caso n°", "ficha"),
        common_words=(
            "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "él", "ella", "ellos",
            "nosotros", "yo", "este", "esta", "ese", "esa", "mi", "su", "sus", "ayer", "hoy",
            "mañana", "después", "antes", "desde", "cuando", "como", "por", "para", "con",
            "sin", "en", "de", "del", "al", "si", "pero", "y", "o", "cada", "todos", "gracias",
            "hola", "durante", "según", "también", "entonces", "luego", "pues", "además",
            "siempre", "nunca", "algunos", "algunas", "varios", "muchos", "qué", "quién",
            "dónde", "cómo", "nuestro", "nuestra", "es", "son", "hay", "no", "sí", "porque",
            "mientras", "aunque", "buenos", "buenas", "estimados", "estimadas", "alguien",
        ),
    ),
    "ar": LanguagePatterns(
        name_triggers=(
            "اسمه", "اسمها", "يدعى", "تدعى", "المدعو", "المدعوة", "ابني", "ابنتي", "ابنه",
            "ابنها", "ابنته", "ابنتها", "أخوه",
            "أخته", "خاله", "عمه", "خالته", "عمته", "أمه", "أبوه",
        ),
        address_cues=(
            "خلف", "وراء", "أمام", "مقابل", "بجانب", "قرب", "بالقرب من", "جنب", "شارع",
            "زنقة", "درب", "حي", "رقم المنزل", "منزل رقم", "عمارة", "تحت القنطرة",
            "تحت الجسر",
        ),
        streets=("شارع", "زنقة", "درب", "حي", "رقم المنزل", "منزل رقم", "عمارة"),
        landmarks=("محطة", "سوق", "مسجد", "المسجد", "مدرسة", "المدرسة", "باب", "صيدلية",
                   "الصيدلية", "قنطرة", "جسر", "مقهى", "دكان", "حانوت", "ملعب", "مقبرة",
                   "زاوية", "فندق", "مخبزة", "السوق", "المحطة"),
        first_names=("محمد", "أحمد", "يوسف", "أيوب", "حمزة", "عمر", "ياسين", "أمين", "مهدي",
                     "إلياس", "آدم", "أنس", "رشيد", "سعيد", "كريم", "إبراهيم", "إسماعيل",
                     "عثمان", "خالد", "بلال", "زكرياء", "سفيان", "نبيل", "هشام", "مراد",
                     "مريم", "فاطمة", "خديجة", "زينب", "آية", "سلمى", "هدى", "إيمان",
                     "سارة", "ياسمين", "حنان", "نادية", "سكينة", "أسماء", "هاجر", "وئام",
                     "نوال", "لبنى", "كوثر", "شيماء"),
        birth_cues=("مولود في", "مولودة في", "مولود بتاريخ", "مولودة بتاريخ", "مولود يوم",
                    "مولودة يوم", "تاريخ الازدياد", "تاريخ الميلاد", "مزداد في", "مزدادة في",
                    "ولد في", "ولدت في", "مولود", "مولودة", "ولد", "ولدت", "مزداد", "مزدادة"),
        months=("يناير", "فبراير", "مارس", "أبريل", "ابريل", "ماي", "مايو", "يونيو", "يونيه",
                "يوليوز", "يوليو", "غشت", "أغسطس", "شتنبر", "سبتمبر", "أكتوبر", "اكتوبر",
                "نونبر", "نوفمبر", "دجنبر", "ديسمبر", "كانون الثاني", "شباط", "آذار",
                "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
                "تشرين الثاني", "كانون الأول"),
        id_cues=("رقم البطاقة", "البطاقة الوطنية", "رقم الملف", "ملف رقم", "رقم",
                 "جواز السفر", "عقد الازدياد"),
        caseless=True,
    ),
    "mg": LanguagePatterns(
        name_triggers=(
            "ilay zazalahy", "ilay zazavavy", "ilay zaza", "ilay tovolahy", "ilay tovovavy",
            "zanako", "zanany", "zanakavavy", "zanakalahy", "rahalahiny", "rahavaviny",
            "anadahiny", "anabaviny", "dadatoany", "nenitoany", "reniny", "rainy",
            "antsoina hoe", "atao hoe", "mitondra ny anarana", "ny anarany dia", "anarana",
            "i", "ry", "ingahy", "ramatoa",
        ),
        address_cues=(
            "ao aorian'ny", "aorian'ny", "eo anoloan'ny", "anoloan'ny", "manoloana",
            "akaikin'ny", "eo akaikin'ny", "eo anilan'ny", "anilan'ny", "lalana", "arabe",
            "fokontany", "lot", "tranon'i", "ambanin'ny tetezana", "ao amin'ny tsena",
            "ambadiky", "ao ambadiky ny", "eo anoloan'ny", "manoloana ny",
        ),
        streets=("lalana", "arabe", "fokontany", "lot", "tranon'i"),
        landmarks=("tsena", "tsenan'", "gara", "fiantsonana", "fiantsonan'", "sekoly",
                   "fiangonana", "fivarotam-panafody", "tetezana", "toeram-pivarotana",
                   "trano", "lapan'"),
        birth_cues=("teraka tamin'ny", "teraka ny", "teraka", "daty nahaterahana",
                    "nahaterahana"),
        months=("janoary", "febroary", "martsa", "aprily", "mey", "jona", "jolay",
                "aogositra", "septambra", "oktobra", "novambra", "desambra"),
        id_cues=("karapanondrom-pirenena", "cin", "laharana", "raki-draharaha",
                 "taratasy fahaterahana", "dossier"),
        common_words=(
            "ny", "ilay", "izy", "izahay", "isika", "ianao", "aho", "tamin'ny", "amin'ny",
            "rehefa", "omaly", "anio", "rahampitso", "fa", "sy", "na", "ho", "dia",
            "misaotra", "manao", "nisy", "misy", "ireo", "io", "ity", "mba", "tsy",
        ),
    ),
    "km": LanguagePatterns(
        name_triggers=(
            "ឈ្មោះ", "មានឈ្មោះ", "ហៅថា", "កូនប្រុសខ្ញុំ", "កូនស្រីខ្ញុំ", "កូនប្រុស",
            "កូនស្រី", "ក្មេងប្រុស", "ក្មេងស្រី", "ក្មួយ", "បងប្រុស", "បងស្រី", "ពូ",
            "មីង", "ម្តាយ", "ម្ដាយ", "ឪពុក", "អ៊ំ",
        ),
        address_cues=(
            "ផ្លូវលេខ", "ផ្លូវ", "ផ្ទះលេខ", "ផ្ទះ", "ភូមិ", "សង្កាត់", "ឃុំ", "ខាងក្រោយ",
            "ទល់មុខ", "ក្បែរ", "ជាប់", "នៅមុខ", "ក្រោមស្ពាន", "ជិត",
        ),
        streets=("ផ្លូវលេខ", "ផ្លូវ", "ផ្ទះលេខ", "ផ្ទះ", "ភូមិ", "សង្កាត់", "ឃុំ"),
        landmarks=("ផ្សារ", "ស្ថានីយ៍", "ចំណត", "ហាង", "វត្ត", "សាលា", "ស្ពាន", "ព្រះវិហារ",
                   "ម៉ាស៊ីត", "មន្ទីរពេទ្យ", "ផ្ទះ", "រង្វង់មូល", "កាហ្វេ"),
        birth_cues=("កើតនៅថ្ងៃទី", "កើតថ្ងៃទី", "ថ្ងៃខែឆ្នាំកំណើត", "កើតនៅ", "កើត"),
        months=("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា",
                "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"),
        id_cues=("អត្តសញ្ញាណប័ណ្ណ", "លេខអត្តសញ្ញាណប័ណ្ណ", "លេខសំណុំរឿង", "សំណុំរឿងលេខ",
                 "លិខិតឆ្លងដែន", "សំបុត្រកំណើត", "លេខ"),
        naming_words=("ឈ្មោះ", "មានឈ្មោះ", "ហៅថា"),
        # Words that stand alone between spaces and are not names
        common_words=("នាក់", "នៅ", "និង", "ជា", "បាន", "ដែល", "ពី", "ទៅ", "មក", "នេះ", "នោះ",
                      "ហើយ", "ប៉ុន្តែ", "យើង", "គាត់", "ខ្ញុំ", "គេ", "ក្នុង", "ជាមួយ",
                      "ដើម្បី", "សម្រាប់", "មាន", "គឺ", "ទេ", "ផង", "ដែរ", "ទៀត", "លោក",
                      "អ្នក", "ក្មេង", "កុមារ", "ប្រហែល", "ជាង", "តែ", "ក៏", "ឬ", "បើ"),
        caseless=True,
    ),
}

# Regions whose phone formats are read: the partner countries.
PHONE_REGIONS = ("CM", "CD", "ML", "MG", "MA", "CG", "PE", "KH", "FR")

# Places and organisations the field names every day: capitalised, never a child's name.
STOP_LIST = (
    # Cameroon
    "Douala", "Yaoundé", "Bafoussam", "Bamenda", "Garoua", "Maroua", "Ngaoundéré", "Bertoua",
    "Ebolowa", "Kribi", "Limbé", "Buea", "Mboppi", "Akwa", "Bonabéri", "Mokolo", "Mvog-Mbi",
    "Cameroun", "Cameroon",
    # DR Congo, Congo
    "Kinshasa", "Lubumbashi", "Goma", "Bukavu", "Kisangani", "Mbuji-Mayi", "Kananga",
    "Matadi", "Gombe", "Limete", "Masina", "Ngaliema", "Kintambo", "Brazzaville",
    "Pointe-Noire", "Poto-Poto", "Bacongo", "Congo", "RDC",
    # Mali
    "Bamako", "Sikasso", "Ségou", "Mopti", "Kayes", "Tombouctou", "Gao", "Mali",
    # Madagascar
    "Antananarivo", "Tana", "Toamasina", "Mahajanga", "Fianarantsoa", "Toliara", "Antsirabe",
    "Analakely", "Isotry", "Madagascar", "Madagasikara", "Andriamanitra",
    # Morocco
    "Casablanca", "Rabat", "Marrakech", "Fès", "Tanger", "Agadir", "Oujda", "Meknès",
    "Salé", "Maroc", "Morocco",
    # Peru
    "Lima", "Callao", "Arequipa", "Cusco", "Trujillo", "Chiclayo", "Iquitos", "Piura",
    "Comas", "Miraflores", "Rímac", "La Victoria", "San Juan de Lurigancho", "Perú", "Peru",
    # Cambodia
    "Phnom Penh", "Siem Reap", "Battambang", "Sihanoukville", "Kampot", "Cambodge",
    "Cambodia", "Camboya",
    # France and elsewhere
    "Paris", "Lyon", "Marseille", "France", "Francia", "Afrique", "Africa", "Europe",
    "Europa", "Dakar", "Abidjan",
    # The partners of the first notebook
    "Italy", "Italie", "Italia", "Greece", "Grèce", "Grecia", "Germany", "Allemagne",
    "Alemania", "Spain", "Espagne", "España",
    # Organisations and institutions
    "Samu Social", "Samusocial", "UNICEF", "Caritas", "Terre des hommes", "INABIF", "MINAS",
    "MINPROFF", "Croix-Rouge", "Red Cross", "Cruz Roja", "Save the Children",
    "Plan International", "World Vision", "Médecins Sans Frontières", "MSF", "OMS", "WHO",
    "ONU", "UN", "ONG", "NGO", "Carnets", "Carnets numériques", "Digital Notebooks",
    "Friends International", "Mith Samlanh", "DEMUNA", "MIMP", "Aide et Action",
    "Bureau International Catholique de l'Enfance", "BICE", "Handicap International",
    # Languages and nationalities ("he speaks little French"), never a child's name
    "French", "English", "Spanish", "Arabic", "Khmer", "Malagasy", "Lingala", "Wolof",
    "Bambara", "Quechua", "Darija", "Français", "Anglais", "Espagnol", "Arabe", "Malgache",
    "Francés", "Inglés", "Español", "Árabe", "Congolese", "Cameroonian", "Malian",
    "Moroccan", "Peruvian", "Cambodian", "Congolais", "Camerounais", "Malien", "Marocain",
    "Péruvien", "Cambodgien",
    # Religious and calendar words written with a capital
    "Dieu", "God", "Dios", "Noël", "Christmas", "Navidad", "Ramadan", "Ramadán", "Pâques",
    "Easter", "Tabaski", "Aïd", "Eid",
)

# Words that make a capitalised sequence an institution, a place or a title, not a person.
INSTITUTION_WORDS = (
    "centre", "center", "centro", "maison", "foyer", "hogar", "home", "école", "ecole",
    "school", "escuela", "colegio", "collège", "lycée", "hôpital", "hospital", "clinique",
    "clinic", "clínica", "ministère", "ministry", "ministerio", "tribunal", "court",
    "juzgado", "police", "policía", "policia", "commissariat", "brigade", "service",
    "services", "servicio", "office", "oficina", "bureau", "unité", "unit", "unidad",
    "department", "département", "departamento", "direction", "dirección", "association",
    "asociación", "fondation", "foundation", "fundación", "programme", "program",
    "programa", "projet", "project", "proyecto", "réseau", "network", "red", "social",
    "sociale", "sociales", "affairs", "affaires", "welfare", "protection", "protección",
    "child", "children", "enfance", "enfants", "niños", "niñez", "infancia", "youth",
    "jeunesse", "family", "famille", "familia", "marché", "market", "mercado", "gare",
    "station", "estación", "église", "church", "iglesia", "mosquée", "mosque", "mezquita",
    "pagode", "pagoda", "université", "university", "universidad", "national", "nationale",
    "nacional", "international", "internacional", "régional", "regional", "municipal",
    "municipalidad", "mairie", "commune", "district", "province", "provincia", "region",
    "région", "región", "state", "saint", "sainte", "san", "santa", "st", "notre",
    "nations", "unies", "united", "unidas", "conseil", "council", "consejo", "comité",
    "committee", "croix", "rouge", "convention", "convención", "code", "código", "loi",
    "law", "ley", "article", "artículo", "guide", "guía", "module", "módulo", "notebook",
    "carnet", "carnets", "forum", "foro", "question", "pregunta", "réponse", "answer",
    "respuesta", "team", "équipe", "equipo", "avenue", "avenida", "rue", "street", "calle",
    "jirón", "boulevard", "road", "plaza", "place", "parc", "park", "parque", "pont",
    "bridge", "puente", "port", "puerto", "aéroport", "airport", "aeropuerto", "quartier",
    "barrio", "lac", "lake", "lago", "mont", "mount", "monte", "north", "south", "east",
    "west", "nord", "sud", "est", "ouest", "norte", "sur", "este", "oeste", "rights",
    "droits", "derechos", "day", "journée", "día", "week", "semaine", "semana",
    "covid", "sida", "aids", "vih", "hiv", "whatsapp", "facebook", "google", "signal",
    "minister", "ministre", "ministro", "ministra", "president", "président", "presidente",
    "prime", "premier", "mayor", "maire", "alcalde", "judge", "juge", "juez", "jueza",
    "king", "roi", "rey", "queen", "reine", "reina", "pope", "pape", "papa", "prince",
    "docteur", "doctor", "doctora", "professeur", "professor", "profesor", "profesora",
    "pasteur", "pastor", "imam", "abbé", "monseigneur",
    "new", "year", "año", "année", "nouvel", "nuevo", "nueva",
    "orange", "mtn", "airtel", "vodacom", "movistar", "claro", "bitel", "entel",
)

WEEKDAYS = (
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lunes", "martes",
    "miércoles", "jueves", "viernes", "sábado", "domingo", "alatsinainy", "talata",
    "alarobia", "alakamisy", "zoma", "asabotsy", "alahady",
)

# Numbers of a known shape, whatever the language: national identity and case numbers.
ID_NUMBER_FORMATS = (
    # Morocco CIN: one or two letters then digits (AB123456)
    r"\b[A-Z]{1,2}\d{5,7}\b",
    # France NIR: 13 digits + 2 of key, spaces allowed
    r"\b[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}(?:\s?\d{2})?\b",
    # Case file references with letters, such as 2024-CS-0012 or AEMO-2023-114
    r"\b(?:[A-Z]{2,6}[-/](?:19|20)\d{2}[-/]\d{2,6}|(?:19|20)\d{2}[-/][A-Z]{1,6}[-/]\d{2,6})\b",
)
