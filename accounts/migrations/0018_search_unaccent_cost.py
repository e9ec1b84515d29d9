"""Tell the planner what folding a name costs (PostgreSQL only).

search_unaccent looks every character up in the unaccent dictionary, yet was declared at the default
COST 1, as cheap as an integer comparison. With that price a sequential scan that folds every
debtor's name looked cheap enough to beat the trigram index whenever ANALYZE's sample made a
misspelt common name look frequent ("Jmes Smithsn": 1,250 true matches in 150,000, estimated at
anywhere from 1,150 to over 3,000), and the similar-name search then read the whole table. At
COST 100 a full fold of the table is priced as what it is, so the index (which folds only the rows it
hands over) wins at every estimate a real search produces.
"""

from django.db import migrations

from accounts.pg import postgres_only


class Migration(migrations.Migration):
    dependencies = [("accounts", "0017_contact_point_source")]
    operations = [
        postgres_only("ALTER FUNCTION search_unaccent(regdictionary, text) COST 100",
                      "ALTER FUNCTION search_unaccent(regdictionary, text) COST 1"),
    ]
