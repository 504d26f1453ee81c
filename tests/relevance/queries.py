"""The relevance table (issue 15, §1): what a resident types, and what must come back in the
first five products, among the shops and among the categories the search page lists first.
Run on SQLite and on PostgreSQL by tests/relevance/test_relevance.py.

"tome": the word of comic titles ("Astérix, tome 1") and a typo for "tomme". The word exists
in the catalogue, so it is taken as typed and the comics come back, not the cheese: a search
that silently replaced a word the catalogue holds would make the comics unfindable, while
"tomme" finds the cheese. A typo is corrected only when the words as typed find nothing
("tome savoie", "croisant"). A town that wants both may add "tome, tomme" to its synonyms.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    query: str
    products: tuple[str, ...] = ()  # each among the first five products
    shops: tuple[str, ...] = ()  # each among the shops listed
    categories: tuple[str, ...] = ()  # each among the categories listed
    absent: tuple[str, ...] = ()  # none of these products anywhere in the results
    nothing: bool = False  # no product at all: the page suggests shops and categories
    notes: str = field(default="", compare=False)


BAKERIES = ("Boulangerie Martin", "Au Fournil du Lac")
CHEESE_SHOPS = ("Fromagerie du Revard", "La Cave à Fromages d'Anne")
COMICS = ("Astérix, tome 1 : Astérix le Gaulois", "Blacksad, tome 2 : Arctic Nation",
          "Les Vieux Fourneaux, tome 3")  # fmt: skip

CASES = [
    # Trades, their forms and synonyms: the shops, and what they sell.
    Case("boulangerie", products=("Pain au levain",), shops=BAKERIES),
    Case("Boulangère", shops=BAKERIES),
    Case("boulanger", shops=BAKERIES),
    Case("boulangeries", shops=BAKERIES),
    Case("fromager", products=("Tomme de Savoie",), shops=CHEESE_SHOPS),
    Case("fromagerie", shops=CHEESE_SHOPS),
    Case("crémerie", shops=CHEESE_SHOPS),
    Case("fromage", products=("Tomme de Savoie", "Reblochon fermier"), categories=("Fromages",)),
    Case("fromages", products=("Comté 18 mois", "Beaufort d'été"), categories=("Fromages",)),
    Case("librairie", products=("Le Petit Prince",), shops=("Librairie des Bauges",)),
    Case("livres", products=("Le Petit Prince",), categories=("Livres",)),
    Case("fleuriste", products=("Bouquet de roses",), shops=("Fleurs de Savoie",)),
    Case(
        "fleurs", products=("Bouquet de roses", "Orchidée en pot"), categories=("Fleurs & plantes",)
    ),
    Case("boucher", products=("Entrecôte de bœuf",), shops=("Boucherie Favre",)),
    Case("charcuterie", products=("Saucisson sec",), categories=("Viandes & charcuterie",)),
    Case("caviste", products=("Roussette de Savoie",), shops=("Cave Saint-Pierre",)),
    Case("vin", products=("Roussette de Savoie",), shops=("Cave Saint-Pierre",)),
    Case("quincaillerie", products=("Marteau Stanley 500 g",), shops=("Quincaillerie Centrale",)),
    Case("bd", products=COMICS, categories=("Bandes dessinées",)),
    Case("bande dessinée", products=COMICS, categories=("Bandes dessinées",)),
    # Products by name, accents, case and plurals.
    Case("croissant", products=("Croissant au beurre",)),
    Case("CROISSANTS", products=("Croissant au beurre",)),
    Case("pain", products=("Pain au levain", "Pain aux céréales", "Baguette tradition")),
    Case("baguette", products=("Baguette tradition",)),
    Case("levain", products=("Pain au levain",)),
    Case("comte", products=("Comté 18 mois",)),
    Case("Comté", products=("Comté 18 mois",)),
    Case("reblochon", products=("Reblochon fermier",)),
    Case("tomme", products=("Tomme de Savoie",), absent=COMICS),
    Case("orchidee", products=("Orchidée en pot",)),
    Case("boeuf", products=("Entrecôte de bœuf",)),
    Case("entrecote", products=("Entrecôte de bœuf",)),
    Case("pomme", products=("Pommes golden",)),
    Case("petit prince", products=("Le Petit Prince",)),
    Case(
        "savoie", products=("Tomme de Savoie", "Roussette de Savoie"), shops=("Fleurs de Savoie",)
    ),
    # Typos: corrected only when the words as typed find nothing.
    Case("croisant", products=("Croissant au beurre",)),
    Case("reblochom", products=("Reblochon fermier",)),
    Case("tome", products=COMICS, absent=("Tomme de Savoie",)),
    Case("tome savoie", products=("Tomme de Savoie",)),
    # Brands, an EAN, a description, a street.
    Case("stanley", products=("Marteau Stanley 500 g",)),
    Case("facom", products=("Tournevis Facom",)),
    Case("opinel", products=("Opinel n°8",)),
    Case("bonnat", products=("Chocolat noir Bonnat 75 %",)),
    Case("9782070612758", products=("Le Petit Prince",)),
    Case("couteau savoyard", products=("Opinel n°8",)),
    Case("croquantes", products=("Pommes golden",)),
    Case("rue de geneve", shops=("Boulangerie Martin",)),
    # No answer: no product, and the page suggests categories and the shop directory.
    Case("zzzz", nothing=True),
    Case("trottinette", nothing=True),
    Case("piano à queue", nothing=True),
]
