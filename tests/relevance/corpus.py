"""A small town for the relevance table: ten shops of real trades, their products and the
categories a portal would have. Built the same way on SQLite and PostgreSQL."""

from catalog.services import product_search_refresh
from tests.factories import ShopFactory, category_create, product_offered

SHOPS = {
    "martin": (
        "Boulangerie Martin",
        "boulangerie",
        "Pain au levain et viennoiseries.",
        "12 rue de Genève",
    ),
    "fournil": (
        "Au Fournil du Lac",
        "boulangerie",
        "Baguettes cuites au feu de bois.",
        "3 quai du Lac",
    ),
    "revard": (
        "Fromagerie du Revard",
        "fromagerie",
        "Tommes et reblochons des Bauges.",
        "8 rue du Casino",
    ),
    "anne": ("La Cave à Fromages d'Anne", "fromagerie", "Affinage maison.", "1 place Carnot"),
    "bauges": ("Librairie des Bauges", "librairie", "Romans, BD et jeunesse.", "5 rue Davat"),
    "fleurs": (
        "Fleurs de Savoie",
        "fleuriste",
        "Compositions de saison.",
        "20 avenue de Tresserve",
    ),
    "favre": ("Boucherie Favre", "boucherie", "Viandes de Savoie.", "7 rue de Chambéry"),
    "cave": ("Cave Saint-Pierre", "caviste", "Vins de Savoie et d'ailleurs.", "2 rue Saint-Pierre"),
    "lucie": ("Le Jardin de Lucie", "primeur", "Fruits et légumes du coin.", "Marché couvert"),
    "centrale": (
        "Quincaillerie Centrale",
        "quincaillerie",
        "Tout pour bricoler.",
        "14 rue de Rome",
    ),
}

# (title, shop, category, extra fields)
PRODUCTS = [
    ("Croissant au beurre", "martin", "pains", {}),
    ("Pain au levain", "martin", "pains", {}),
    ("Baguette tradition", "fournil", "pains", {}),
    ("Pain aux céréales", "fournil", "pains", {}),
    ("Tomme de Savoie", "revard", "fromages", {}),
    ("Reblochon fermier", "revard", "fromages", {}),
    ("Beaufort d'été", "anne", "fromages", {}),
    ("Comté 18 mois", "anne", "fromages", {}),
    ("Astérix, tome 1 : Astérix le Gaulois", "bauges", "bd", {}),
    ("Blacksad, tome 2 : Arctic Nation", "bauges", "bd", {}),
    ("Les Vieux Fourneaux, tome 3", "bauges", "bd", {}),
    ("Le Petit Prince", "bauges", "romans", {"upc": "9782070612758"}),
    ("La Vérité sur l'affaire Harry Quebert", "bauges", "romans", {}),
    ("Bouquet de roses", "fleurs", "fleurs", {}),
    ("Orchidée en pot", "fleurs", "fleurs", {}),
    ("Entrecôte de bœuf", "favre", "viandes", {}),
    ("Saucisson sec", "favre", "viandes", {}),
    ("Roussette de Savoie", "cave", "vins", {}),
    ("Pommes golden", "lucie", "fruits", {"description": "<p>Croquantes et sucrées.</p>"}),
    ("Marteau Stanley 500 g", "centrale", "outils", {}),
    ("Tournevis Facom", "centrale", "outils", {}),
    ("Opinel n°8", "centrale", "outils", {"description": "<p>Le couteau savoyard.</p>"}),
    ("Chocolat noir Bonnat 75 %", "revard", "epicerie", {}),
]


def corpus_build() -> None:
    shops = {
        key: ShopFactory(
            name=name,
            trade=trade,
            description=description,
            address_line=street,
            city="Aix-les-Bains",
            status="live",
        )  # fmt: skip
        for key, (name, trade, description, street) in SHOPS.items()
    }
    food = category_create("Alimentation")
    books = category_create("Livres")
    home = category_create("Maison & jardin")
    categories = {
        "pains": category_create("Pains & viennoiseries", food),
        "fromages": category_create("Fromages", food),
        "viandes": category_create("Viandes & charcuterie", food),
        "fruits": category_create("Fruits & légumes", food),
        "epicerie": category_create("Épicerie sucrée", food),
        "vins": category_create("Vins", category_create("Boissons")),
        "bd": category_create("Bandes dessinées", books),
        "romans": category_create("Romans", books),
        "fleurs": category_create("Fleurs & plantes"),
        "outils": category_create("Outillage", home),
    }
    for title, shop, category, fields in PRODUCTS:
        product_offered(title=title, shop=shops[shop], category=categories[category], **fields)
    product_search_refresh()
