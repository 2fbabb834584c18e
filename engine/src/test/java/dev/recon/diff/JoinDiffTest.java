package dev.recon.diff;

import static dev.recon.config.Operation.INSERT;
import static dev.recon.config.Operation.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.db.DatabaseException;
import dev.recon.result.RowChange;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JoinDiffTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    private static final String ORDERS = """
            syncs:
              - name: orders
                source: { connection: db, table: src, where: "status <> 'draft'" }
                target: { connection: db, table: dst }
                key: { reference: code }
                columns: { price: total_price, item_count: number_of_items, "lower(email)": email }
            """;

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE src (reference text PRIMARY KEY, status text, price numeric(10,3), item_count int,
                    email text);
                CREATE TABLE dst (code text PRIMARY KEY, total_price numeric(12,2), number_of_items int,
                    email text, is_deleted boolean NOT NULL DEFAULT false, deleted_at timestamptz);
                INSERT INTO src VALUES ('A', 'paid', 1.5, 1, 'A@X'), ('B', 'paid', 2, 2, 'b@x'),
                    ('C', 'paid', 3, 3, NULL), ('D', 'draft', 4, 4, 'd@x'), ('E', 'paid', 5, 5, 'e@x');
                INSERT INTO dst (code, total_price, number_of_items, email) VALUES
                    ('A', 1.50, 1, 'a@x'), ('B', 2.5, 9, 'b@x'), ('C', 3, 3, NULL), ('D', 4, 4, 'd@x'),
                    ('Z', 26, 26, 'z@x');
                """);
    }

    private static List<String> summary(List<RowChange> changes) {
        return changes.stream()
                .map(c -> c.operation().label() + " " + c.key() + (c.changed().isEmpty() ? "" : " " + c.changed())
                        + (c.revive() ? " revive" : ""))
                .sorted()
                .toList();
    }

    @Test
    void findsExactlyTheMissingChangedAndGoneRowsAndTheColumnsThatDiffer() {
        List<RowChange> changes = Diffs.join(db, ORDERS);

        assertThat(summary(changes)).containsExactly(
                "delete [D]", "delete [Z]", "insert [E]", "update [B] [total_price, number_of_items]");
        RowChange b = changes.stream().filter(c -> c.operation() == UPDATE).findFirst().orElseThrow();
        assertThat(b.source()).containsExactly("B", "2.00", "2", "b@x");
        assertThat(b.target()).containsExactly("B", "2.50", "9", "b@x");
        RowChange e = changes.stream().filter(c -> c.operation() == INSERT).findFirst().orElseThrow();
        assertThat(e.source()).containsExactly("E", "5.00", "5", "e@x");
        assertThat(e.target()).isEmpty();
        RowChange z = changes.stream().filter(c -> c.key().equals(List.of("Z"))).findFirst().orElseThrow();
        assertThat(z.source()).isEmpty();
        assertThat(z.target()).containsExactly("Z", "26.00", "26", "z@x");
    }

    @Test
    void valuesCompareInTheTargetTypeNullSafely() {
        db.execute("""
                CREATE TABLE s2 (id int PRIMARY KEY, n numeric, ts timestamp(6), t text, f float8);
                CREATE TABLE t2 (id bigint PRIMARY KEY, n numeric(12,2), ts timestamp(6), t varchar(20), f float8);
                INSERT INTO s2 VALUES
                    (1, 1.5, '2024-01-01 00:00:00.000001', 'x', 1.0),
                    (2, 1.50000, '2024-01-01 00:00:00.000002', '', NULL),
                    (3, NULL, NULL, NULL, 0.1),
                    (4, 7, '2024-01-01', ' ', 2),
                    (5, 1.004, '2024-01-01', 'É', 2);
                INSERT INTO t2 VALUES
                    (1, 1.50, '2024-01-01 00:00:00.000001', 'x', 1),
                    (2, 1.5, '2024-01-01 00:00:00.000001', NULL, NULL),
                    (3, NULL, NULL, NULL, 0.1),
                    (4, 7, '2024-01-01', '', 2),
                    (5, 1.00, '2024-01-01', 'é', 2);
                """);
        List<RowChange> changes = Diffs.join(db, """
                syncs:
                  - name: types
                    source: { connection: db, table: s2 }
                    target: { connection: db, table: t2 }
                    key: { id: id }
                    columns: { n: n, ts: ts, t: t, f: f }
                """);
        // 1 and 3 are equal; 5's 1.004 is 1.00 in numeric(12,2); 'É' differs from 'é'.
        assertThat(summary(changes)).containsExactly("update [2] [ts, t]", "update [4] [t]", "update [5] [t]");
    }

    @Test
    void compositeAndCaseSensitiveTextKeysMatchExactly() {
        db.execute("""
                CREATE TABLE s3 (region text, no int, qty int, PRIMARY KEY (region, no));
                CREATE TABLE t3 (reg text, number int, quantity int, UNIQUE (number, reg));
                INSERT INTO s3 VALUES ('eu', 1, 1), ('EU', 1, 2), ('Ünï-côdé, x', 2, 3), ('us', 7, 7);
                INSERT INTO t3 VALUES ('eu', 1, 1), ('EU', 1, 5), ('Ünï-côdé, x', 2, 3), ('US', 7, 7);
                """);
        List<RowChange> changes = Diffs.join(db, """
                syncs:
                  - name: composite
                    source: { connection: db, table: s3 }
                    target: { connection: db, table: t3 }
                    key: { region: reg, no: number }
                    columns: { qty: quantity }
                """);
        assertThat(summary(changes)).containsExactly("delete [US, 7]", "insert [us, 7]", "update [EU, 1] [quantity]");
    }

    @Test
    void onlyComparedColumnsDecideWhatChanged() {
        List<RowChange> changes = Diffs.join(db, ORDERS.replace("columns:", "compare: [item_count]\n    columns:"));
        assertThat(summary(changes)).containsExactly(
                "delete [D]", "delete [Z]", "insert [E]", "update [B] [number_of_items]");
    }

    @Test
    void ignoredDeletesAndSkippedOperationsAreNotReported() {
        assertThat(summary(Diffs.join(db, ORDERS + "    deletes: ignore\n")))
                .containsExactly("insert [E]", "update [B] [total_price, number_of_items]");
        assertThat(summary(Diffs.join(db, ORDERS + "    skip: [insert, update]\n")))
                .containsExactly("delete [D]", "delete [Z]");
        assertThat(Diffs.join(db, ORDERS + "    skip: [insert, update, delete]\n")).isEmpty();
    }

    @Test
    void softDeletedRowsAreSettledAndRevivedWhenTheyReturn() {
        db.execute("UPDATE dst SET is_deleted = true WHERE code IN ('Z', 'A');"
                + "UPDATE dst SET deleted_at = now() WHERE code = 'D'");
        assertThat(summary(Diffs.join(db, ORDERS + "    deletes: { soft: is_deleted }\n"))).containsExactly(
                "delete [D]", "insert [E]", "update [A] revive", "update [B] [total_price, number_of_items]");
        assertThat(summary(Diffs.join(db, ORDERS + "    deletes: { soft: deleted_at }\n"))).containsExactly(
                "delete [Z]", "insert [E]", "update [B] [total_price, number_of_items]");
    }

    @Test
    void theDiffWritesNothingAndRunsInAReadOnlySnapshot() {
        List<Map<String, Object>> before = db.rows("SELECT * FROM dst ORDER BY code");
        Diffs.join(db, ORDERS);
        assertThat(db.rows("SELECT * FROM dst ORDER BY code")).isEqualTo(before);

        // A source expression with a side effect proves the transaction refuses writes.
        db.execute("CREATE SEQUENCE side_effect");
        assertThatThrownBy(() -> Diffs.join(db, ORDERS.replace("item_count: number_of_items",
                "\"nextval('side_effect')::int\": number_of_items")))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("mapping 'orders': the diff query failed:")
                .hasMessageContaining("read-only transaction")
                .hasMessageContaining("[SQLSTATE 25006]");
        assertThat(db.value("SELECT last_value FROM side_effect", Long.class)).isEqualTo(1L);
        assertThat(db.value("SELECT is_called FROM side_effect", Boolean.class)).isFalse();
    }
}
