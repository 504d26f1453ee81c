"""What each trade of the demo town looks like: how common, what it sells, how shops are named.

Family keys refer to `catalog.demo.seed.FAMILIES`; a trade's `also` lists the families of
other trades it may stock too (an épicerie fine sells cheese and wine), which is how some
products end up offered by several shops.
"""

from dataclasses import dataclass

from shops.models import Partner

Trade = Partner.Trade


@dataclass(frozen=True)
class TradeProfile:
    shop_weight: int  # how common the trade is among the town's shops
    catalogue: int  # relative size of one shop's catalogue
    families: tuple[str, ...]
    also: tuple[str, ...]
    names: tuple[str, ...]  # patterns with {nom}, {prenom} (the owner's) and {quartier}
    pitches: tuple[str, ...]


# The first shops follow this order, so even a 4-shop town has trades that overlap.
FIRST_TRADES = (
    Trade.BOULANGERIE, Trade.EPICERIE, Trade.FROMAGERIE, Trade.CAVISTE, Trade.LIBRAIRIE,
    Trade.PRIMEUR, Trade.FLEURISTE, Trade.PRET_A_PORTER, Trade.BOUCHERIE, Trade.QUINCAILLERIE,
    Trade.JOUETS, Trade.CHAUSSURES, Trade.BIJOUTERIE, Trade.DROGUERIE,
)  # fmt: skip

# Data table, one trade per entry; the formatter would explode every tuple.
# fmt: off
PROFILES: dict[str, TradeProfile] = {
    Trade.BOULANGERIE: TradeProfile(
        12, 25, ("pain", "viennoiserie", "patisserie"), (),
        ("Boulangerie {nom}", "Au Fournil de {prenom}", "Boulangerie-pâtisserie {nom}",
         "La Mie de {prenom}", "Boulangerie {quartier}", "Le Fournil {quartier}"),
        ("Pains au levain, viennoiseries pur beurre et pâtisseries maison, cuits sur place.",
         "Farines de meule locales et fermentation lente : le pain comme autrefois."),
    ),
    Trade.BOUCHERIE: TradeProfile(
        8, 25, ("viande", "charcuterie"), (),
        ("Boucherie {nom}", "Boucherie-charcuterie {nom}", "Boucherie {quartier}",
         "Les Viandes de {prenom}"),
        ("Viandes d'éleveurs de la région, charcuterie et plats traiteur faits maison.",
         "Bœuf charolais, volailles fermières et conseils de cuisson au comptoir."),
    ),
    Trade.FROMAGERIE: TradeProfile(
        6, 35, ("fromage", "cremerie"), ("charcuterie", "epicerie_salee"),
        ("Fromagerie {nom}", "La Cave à fromages de {prenom}", "Crèmerie {nom}",
         "Fromagerie {quartier}"),
        ("Plus de cent fromages affinés dans nos caves, beurre et crème de ferme.",
         "Fromages au lait cru de petits producteurs, plateaux sur commande."),
    ),
    Trade.PRIMEUR: TradeProfile(
        8, 30, ("fruit", "legume"), ("epicerie_sucree",),
        ("Primeur {nom}", "Au Jardin de {prenom}", "Les Paniers de {prenom}",
         "Primeur {quartier}"),
        ("Fruits et légumes de saison, en direct des maraîchers de la vallée.",
         "Paniers de la semaine et arrivages du marché chaque matin."),
    ),
    Trade.EPICERIE: TradeProfile(
        8, 50, ("epicerie_salee", "epicerie_sucree", "the_cafe"),
        ("fromage", "cremerie", "charcuterie", "vin", "biere", "fruit", "pain"),
        ("Épicerie fine {nom}", "Le Comptoir de {prenom}", "L'Épicerie {quartier}",
         "Épicerie {nom}"),
        ("Produits de terroir, vrac et douceurs choisis chez de petits producteurs.",
         "Huiles, conserves, thés, cafés et idées cadeaux gourmandes."),
    ),
    Trade.CAVISTE: TradeProfile(
        7, 45, ("vin", "bulles", "biere", "spiritueux"), ("epicerie_salee",),
        ("Cave {nom}", "La Cave de {prenom}", "Les Vins de {prenom}", "Cave {quartier}"),
        ("Vins de vignerons indépendants, champagnes, bières artisanales et spiritueux.",
         "Dégustations le samedi et conseils pour accorder mets et vins."),
    ),
    Trade.LIBRAIRIE: TradeProfile(
        6, 70, ("roman", "polar", "bd", "jeunesse", "beau_livre", "papeterie"), ("jeu",),
        ("Librairie {nom}", "Librairie {quartier}", "Les Mots de {prenom}",
         "Bouquinerie {nom}"),
        ("Romans, polars, bandes dessinées et jeunesse, conseillés par des libraires passionnés.",
         "Rencontres d'auteurs, commandes en 24 heures et rayon papeterie."),
    ),
    Trade.FLEURISTE: TradeProfile(
        8, 20, ("bouquet", "plante_interieur", "plante_exterieur"), ("deco",),
        ("Fleurs {nom}", "L'Atelier floral de {prenom}", "Au Bouquet de {prenom}",
         "Fleuriste {quartier}"),
        ("Bouquets composés chaque jour, plantes et fleurs de saison.",
         "Compositions pour toutes les occasions, livraison en ville."),
    ),
    Trade.PRET_A_PORTER: TradeProfile(
        12, 40, ("femme", "homme", "accessoires"), ("chaussures",),
        ("Boutique {prenom}", "Maison {nom}", "Le Dressing de {prenom}",
         "Les Essentiels de {prenom}", "Mode {quartier}"),
        ("Prêt-à-porter femme et homme, marques françaises et européennes.",
         "Des vêtements durables choisis pièce par pièce, retouches sur place."),
    ),
    Trade.CHAUSSURES: TradeProfile(
        6, 30, ("chaussures", "chaussures_enfant"), ("accessoires",),
        ("Chaussures {nom}", "Le Pas de {prenom}", "Chaussures {quartier}"),
        ("Chaussures pour toute la famille, du premier pas aux bottines de ville.",
         "Cuir de qualité, conseils de pointure et entretien."),
    ),
    Trade.QUINCAILLERIE: TradeProfile(
        5, 60, ("outillage", "visserie", "serrurerie", "jardin", "cuisine"),
        ("entretien", "plante_exterieur", "deco"),
        ("Quincaillerie {nom}", "Quincaillerie {quartier}", "L'Établi de {prenom}"),
        ("Outillage, visserie au détail, jardin et ustensiles de cuisine.",
         "Double de clés, découpe et conseils de bricolage depuis trois générations."),
    ),
    Trade.JOUETS: TradeProfile(
        5, 45, ("jeu", "jouet_bois", "peluche", "creatif"), ("jeunesse", "papeterie"),
        ("Jouets {nom}", "La Boîte à jeux de {prenom}", "Au Petit Monde de {prenom}",
         "Jouets {quartier}"),
        ("Jeux de société, jouets en bois et loisirs créatifs pour tous les âges.",
         "Des jouets durables, testés par l'équipe, et des soirées jeux le vendredi."),
    ),
    Trade.BIJOUTERIE: TradeProfile(
        5, 30, ("bijoux", "montre"), ("accessoires",),
        ("Bijouterie {nom}", "Horlogerie {nom}", "L'Écrin de {prenom}",
         "Bijouterie {quartier}"),
        ("Bijoux créés dans notre atelier, montres et réparations.",
         "Or et argent recyclés, gravure et mise à taille sur place."),
    ),
    Trade.DROGUERIE: TradeProfile(
        4, 40, ("entretien", "hygiene", "deco"), ("cuisine", "visserie"),
        ("Droguerie {nom}", "La Droguerie de {prenom}", "Droguerie {quartier}"),
        ("Produits d'entretien d'autrefois, savons, vrac et petits objets pour la maison.",
         "Tout pour la maison, au détail et sans emballage superflu."),
    ),
    Trade.AUTRE: TradeProfile(
        0, 20, ("deco", "cuisine", "papeterie"), (),
        ("Boutique {nom}",),
        ("Un commerce de la ville, à découvrir.",),
    ),
}
# fmt: on

SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry",
    "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Fontaine", "Chevalier",
    "Robin", "Masson", "Benali", "Nguyen", "Da Silva", "Haddad",
)  # fmt: skip
FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Julie", "Sophie", "Claire", "Inès", "Sarah",
    "Lucas", "Hugo", "Louis", "Jules", "Thomas", "Nicolas", "Antoine", "Julien", "Mathieu",
    "Karim", "Yasmine", "Élodie", "Pauline", "Bastien", "Romain", "Nadia", "Marc", "Isabelle",
    "Paul", "Anne", "Mehdi", "Linh",
)  # fmt: skip
STREETS = (
    "rue de la République", "place du Marché", "rue Victor-Hugo", "Grande Rue",
    "rue des Tanneurs", "rue Jean-Jaurès", "place de l'Église", "rue du Pont",
    "avenue de la Gare", "rue Pasteur", "rue des Halles", "quai du Canal", "rue Gambetta",
    "rue du Château", "place de la Mairie",
)  # fmt: skip
# Written as they follow a shop word: "Boulangerie de la Gare", "Cave Saint-Martin".
QUARTERS = (
    "du Centre", "Saint-Martin", "de la Gare", "des Halles", "des Tilleuls", "du Faubourg",
    "de la Croix-Blanche", "du Canal", "du Marché", "Saint-Jacques", "du Château",
    "de la Fontaine",
)  # fmt: skip

# A shop's logo and banner colour, by trade: dark enough for white lettering.
COLOURS: dict[str, tuple[int, int, int]] = {
    Trade.BOULANGERIE: (176, 112, 40), Trade.BOUCHERIE: (150, 36, 52),
    Trade.FROMAGERIE: (168, 128, 18), Trade.PRIMEUR: (64, 128, 52),
    Trade.EPICERIE: (118, 72, 44), Trade.CAVISTE: (104, 28, 60),
    Trade.LIBRAIRIE: (38, 68, 120), Trade.FLEURISTE: (186, 64, 120),
    Trade.PRET_A_PORTER: (58, 58, 82), Trade.CHAUSSURES: (112, 76, 48),
    Trade.QUINCAILLERIE: (64, 86, 98), Trade.JOUETS: (214, 96, 30),
    Trade.BIJOUTERIE: (104, 74, 146), Trade.DROGUERIE: (32, 122, 132),
    Trade.AUTRE: (88, 88, 88),
}  # fmt: skip
