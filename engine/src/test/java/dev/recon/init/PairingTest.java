package dev.recon.init;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** recon init's pairing, a pure function: real-world renames, the fixture's precision and recall, refusals, edges. */
class PairingTest {
    private static final Pairing.Comparable ANY = (s, t, a, b) -> Optional.empty();

    /** Renames seen in real schemas, each source column with the target column it must pair with among the others. */
    private static final String[][] RENAMES = {
        {"cust_nm", "customer_name"}, {"e_mail", "email"}, {"qty", "quantity"}, {"CustomerID", "customer_id"},
        {"tel_no", "phone"}, {"dob", "birth_date"}, {"crt_dt", "created_at"}, {"upd_ts", "updated_at"},
        {"fname", "first_name"}, {"lname", "last_name"}, {"zip", "postal_code"}, {"addr_line1", "address_line_1"},
        {"unit_prc", "unit_price"}, {"ord_no", "order_number"}, {"emp_no", "employee_number"},
        {"acct_bal", "account_balance"}, {"ccy", "currency"}, {"descr", "description"}, {"amt", "amount"},
        {"LastModified", "updated_at"}, {"DATE_CREATED", "created_at"}, {"is_actv", "active"},
    };

    /** Each source column alone against every target of the table: it pairs with its own. */
    @Test
    void realWorldRenamesPairWithTheirTarget() {
        List<Pairing.Column> targets = java.util.Arrays.stream(RENAMES).map(r -> r[1]).distinct()
                .map(n -> new Pairing.Column(n, "text")).toList();
        for (String[] rename : RENAMES) {
            Pairing.Result result = Pairing.pair(List.of(new Pairing.Table("t", List.of(new Pairing.Column(rename[0],
                    "text")), List.of())), List.of(new Pairing.Table("t", targets, List.of())), ANY);
            assertThat(result.tables().get(0).columns()).as(rename[0]).extracting(Pairing.ColumnPair::target)
                    .containsExactly(rename[1]);
        }
    }

    @Test
    void theExampleOfTheIssue() {
        Pairing.Table legacy = new Pairing.Table("tbl_cust", List.of(new Pairing.Column("cust_id", "integer"),
                new Pairing.Column("cust_nm", "varchar(100)"), new Pairing.Column("e_mail", "varchar(200)")),
                List.of());
        Pairing.Table app = new Pairing.Table("customers", List.of(new Pairing.Column("customer_id", "bigint"),
                new Pairing.Column("customer_name", "text"), new Pairing.Column("contact_name", "text"),
                new Pairing.Column("email", "text")), List.of("customer_id"));
        Pairing.Table other = new Pairing.Table("contacts", List.of(new Pairing.Column("contact_id", "bigint"),
                new Pairing.Column("contact_name", "text")), List.of("contact_id"));
        Pairing.Result result = Pairing.pair(List.of(legacy), List.of(other, app), ANY);
        Pairing.TablePair pair = result.tables().get(0);
        assertThat(pair.target().name()).isEqualTo("customers");
        assertThat(pair.next()).map(Pairing.Guess::name).contains("contacts");
        assertThat(pair.columns()).extracting(c -> c.source() + " -> " + c.target()).containsExactly(
                "cust_id -> customer_id", "cust_nm -> customer_name", "e_mail -> email");
        Pairing.ColumnPair name = pair.columns().get(1);
        assertThat(name.confidence()).isGreaterThan(name.next().orElseThrow().score());
        assertThat(name.next()).map(Pairing.Guess::name).contains("contact_name");
        assertThat(pair.unpairedTarget()).containsExactly("contact_name");
        assertThat(pair.keyPaired()).isTrue();
        assertThat(result.unpairedSource()).isEmpty();
        assertThat(result.unpairedTarget()).containsExactly("contacts");
    }

    /**
     * The fixture of 30 renamed tables (init/renames.txt): every table pair right, and every
     * column pair but the two a dictionary cannot know (memo is a description; eff_dt the
     * first day a price is effective from). docs/init.md gives these figures.
     */
    @Test
    void theFixturesPrecisionAndRecall() {
        RenamesFixture f = RenamesFixture.load();
        Pairing.Result r = Pairing.pair(f.sources(), f.targets(), ANY);
        Set<String> tables = new LinkedHashSet<>();
        Set<String> columns = new LinkedHashSet<>();
        for (Pairing.TablePair p : r.tables()) {
            tables.add(p.source().name() + " -> " + p.target().name());
            p.columns().forEach(c -> columns.add(p.source().name() + "." + c.source() + " -> " + p.target().name()
                    + "." + c.target()));
        }
        assertThat(f.tablePairs()).hasSize(30);
        assertThat(f.columnPairs()).hasSize(153);
        assertThat(tables).isEqualTo(f.tablePairs());
        assertThat(r.unpairedSource()).containsExactly("tmp_import_2019");
        assertThat(r.unpairedTarget()).containsExactlyInAnyOrder("feature_flags", "schema_migrations");
        Set<String> wrong = new LinkedHashSet<>(columns);
        wrong.removeAll(f.columnPairs());
        Set<String> missed = new LinkedHashSet<>(f.columnPairs());
        missed.removeAll(columns);
        assertThat(wrong).as("column pairs guessed wrongly").isEmpty();
        assertThat(missed).as("column pairs missed").containsExactlyInAnyOrder(
                "txn.memo -> transactions.description", "price_hist.eff_dt -> price_history.effective_from");
    }

    @Test
    void aPairTheRulesRefuseIsNeverProposedAndIsSaid() {
        Pairing.Table s = new Pairing.Table("events", List.of(new Pairing.Column("id", "bigint"),
                new Pairing.Column("payload", "text")), List.of());
        Pairing.Table t = new Pairing.Table("events", List.of(new Pairing.Column("id", "bigint"),
                new Pairing.Column("payload", "jsonb")), List.of("id"));
        Pairing.Comparable refuseJson = (a, b, x, y) -> y.type().equals("jsonb") && !x.type().equals("jsonb")
                ? Optional.of("text cannot be compared with jsonb") : Optional.empty();
        Pairing.TablePair pair = Pairing.pair(List.of(s), List.of(t), refuseJson).tables().get(0);
        assertThat(pair.columns()).extracting(Pairing.ColumnPair::source).containsExactly("id");
        assertThat(pair.refused()).containsExactly(new Pairing.Refusal("payload", "payload",
                "text cannot be compared with jsonb"));
        assertThat(pair.unpairedSource()).containsExactly("payload");
        assertThat(pair.unpairedTarget()).containsExactly("payload");
        assertThat(MappingFile.inSchemaEntry(pair)).isFalse();
    }

    @Test
    void equalNamesWinAndEachColumnPairsOnce() {
        // "name" could go to either; the equal one takes it, and the other is left, not paired twice
        Pairing.Table s = new Pairing.Table("items", List.of(new Pairing.Column("name", "text"),
                new Pairing.Column("item_name", "text")), List.of());
        Pairing.Table t = new Pairing.Table("items", List.of(new Pairing.Column("name", "text")), List.of());
        Pairing.TablePair pair = Pairing.pair(List.of(s), List.of(t), ANY).tables().get(0);
        assertThat(pair.columns()).extracting(c -> c.source() + " -> " + c.target()).containsExactly("name -> name");
        assertThat(pair.columns().get(0).confidence()).isEqualTo(1.0);
        assertThat(pair.unpairedSource()).containsExactly("item_name");
        assertThat(pair.keyPaired()).isTrue(); // no key: nothing to pair
    }

    @Test
    void unrelatedNamesAndEmptySchemasPairNothing() {
        assertThat(Pairing.pair(List.of(), List.of(), ANY).tables()).isEmpty();
        Pairing.Table s = new Pairing.Table("weather", List.of(new Pairing.Column("temperature", "real")),
                List.of());
        Pairing.Table t = new Pairing.Table("invoices", List.of(new Pairing.Column("invoice_no", "bigint")),
                List.of("invoice_no"));
        Pairing.Result r = Pairing.pair(List.of(s), List.of(t), ANY);
        assertThat(r.tables()).isEmpty();
        assertThat(r.unpairedSource()).containsExactly("weather");
        assertThat(r.unpairedTarget()).containsExactly("invoices");
        // a table without columns pairs by its name alone
        Pairing.Table empty = new Pairing.Table("audit", List.of(), List.of());
        assertThat(Pairing.pair(List.of(empty), List.of(empty), ANY).tables()).hasSize(1);
    }

    @Test
    void namesAreReadAsWords() {
        assertThat(Names.words("CustNm")).containsExactly("cust", "nm");
        assertThat(Names.words("ADDR_LINE1")).containsExactly("addr", "line", "1");
        assertThat(Names.words("HTTPStatus")).containsExactly("http", "status");
        assertThat(Names.meaning("cust_nm")).containsExactly("customer", "name");
        assertThat(Names.meaning("e_mail")).containsExactly("email");
        assertThat(Names.tableMeaning("tbl_categories")).containsExactly("category");
        assertThat(Names.singular("addresses")).isEqualTo("address");
        assertThat(Names.singular("status")).isEqualTo("status");
        assertThat(Names.similarity("Email", "email", Names.meaning("Email"), Names.meaning("email")))
                .isEqualTo(0.97);
    }

    @Test
    void yamlScalarsReadBackAsTheyWere() {
        assertThat(MappingFile.quoted("customer_name")).isEqualTo("customer_name");
        assertThat(MappingFile.quoted("yes")).isEqualTo("\"yes\"");
        assertThat(MappingFile.quoted("\"Mixed Case\"")).isEqualTo("\"\\\"Mixed Case\\\"\"");
        assertThat(MappingFile.quoted("a${B}")).isEqualTo("\"a$${B}\"");
        assertThat(dev.recon.config.Redaction.withoutPassword("jdbc:postgresql://h/db?user=u&password=s3&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&ssl=true");
        assertThat(dev.recon.config.Redaction.withoutPassword("jdbc:postgresql://h/db?password=s3")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(dev.recon.config.Redaction.withoutPassword("jdbc:mariadb://u:s3@h/db")).isEqualTo("jdbc:mariadb://u@h/db");
    }
}
