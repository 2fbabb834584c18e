package dev.recon.plan;

import dev.recon.base.PlanException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.config.ConfigException;
import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.config.Strategy;
import dev.recon.connect.Databases;
import dev.recon.testing.PgDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlannerTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE source_order (reference text PRIMARY KEY, status text, price numeric(10,3),
                    item_count int, customer_email text, created date);
                CREATE TABLE destination_order (code varchar(32) PRIMARY KEY, total_price numeric(12,2),
                    number_of_items bigint, email text, created_on uuid, flagged boolean DEFAULT false,
                    note text NOT NULL, total_x2 numeric GENERATED ALWAYS AS (total_price * 2) STORED);
                CREATE TABLE no_key (code text, total_price numeric);
                """);
    }

    private List<MappingPlan> plan(String mapping, Purpose purpose) {
        ReconConfig config = new ConfigLoader(Map.of()).parse(db.connectionsYaml() + mapping, "test.yaml");
        return new Planner(config, new Databases()).plan(List.of(), purpose);
    }

    private List<String> problems(String mapping, Purpose purpose) {
        try {
            plan(mapping, purpose);
        } catch (PlanException e) {
            return e.problems();
        }
        throw new AssertionError("expected a PlanException");
    }

    private static String resolved(ColumnMapping m) {
        return String.join(" | ", m.sourceLabel(), m.sourceSql(), Boolean.toString(m.sourceIsExpression()),
                m.targetColumn(), m.targetType(), Boolean.toString(m.compared()));
    }

    @Test
    void anUnquotedMixedCaseTableNameGetsTheQuotedSpellingAsAHint() {
        db.execute("CREATE TABLE IF NOT EXISTS public.\"MixedCase\" (id int PRIMARY KEY)");
        List<String> problems = problems("""
                syncs:
                  - name: m
                    source: { connection: db, table: public.MixedCase }
                    target: { connection: db, table: public."MixedCase" }
                    key: { id: id }
                """, Purpose.DIFF);
        assertThat(problems).containsExactly("mapping 'm': source table 'public.MixedCase' does not exist on"
                + " connection 'db' (write it as schema.table; unqualified names follow the search_path;"
                + " PostgreSQL folds unquoted names to lower case, so a mixed-case name is written in double"
                + " quotes, e.g. public.\"MixedCase\")");
    }

    @Test
    void aConditionOrExpressionThatWouldEscapeItsParenthesesIsRefused() {
        // "id > 1) OR (id < 3" is valid SQL inside "WHERE (...)", but recon adds "AND ..." to it
        List<String> problems = problems("""
                syncs:
                  - name: orders
                    source: { connection: db, table: source_order, where: "price > 1) OR (price < 3" }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    columns: { "price), (price": total_price, "item_count -- no": number_of_items }
                """, Purpose.DIFF);
        assertThat(problems).containsExactly(
                "mapping 'orders': source.where 'price > 1) OR (price < 3' is not one condition: a ')' closes a"
                        + " parenthesis it did not open (recon places it inside its own queries, in parentheses)",
                "mapping 'orders': columns: source expression 'price), (price' is not one expression: a ')' closes"
                        + " a parenthesis it did not open (recon places it inside its own queries, in parentheses)",
                "mapping 'orders': columns: source expression 'item_count -- no' is not one expression: a --"
                        + " comment would swallow what follows it; use /* ... */ (recon places it inside its own"
                        + " queries, in parentheses)");
    }

    @Test
    void aValidMappingResolvesColumnsTypesAndStrategy() {
        MappingPlan p = plan("""
                syncs:
                  - name: orders
                    source: { connection: db, table: source_order, where: "status <> 'draft'" }
                    target: { connection: db, table: public.destination_order }
                    key: { reference: code }
                    columns: { price: total_price, ITEM_COUNT: number_of_items, "lower(customer_email)": email }
                    compare: [price]
                """, Purpose.DIFF).get(0);

        assertThat(p.strategy()).isEqualTo(Strategy.JOIN);
        assertThat(p.sourceTable().displayName()).isEqualTo("public.source_order");
        assertThat(p.keys()).extracting(PlannerTest::resolved).containsExactly(
                "reference | \"reference\" | false | code | character varying(32) | true");
        assertThat(p.columns()).extracting(PlannerTest::resolved).containsExactly(
                "price | \"price\" | false | total_price | numeric(12,2) | true",
                "ITEM_COUNT | \"item_count\" | false | number_of_items | bigint | false",
                "lower(customer_email) | (lower(customer_email)) | true | email | text | false");
        // how each is compared and written: varchar(32) without its limit (a cast would cut a longer value)
        assertThat(p.keys().get(0).type().compareType()).isEqualTo("pg_catalog.\"varchar\"");
        assertThat(p.keys().get(0).type().writeType()).isEqualTo("varchar");
        assertThat(p.columns()).extracting(m -> m.type().kind()).containsExactly(ValueType.Kind.NUMERIC,
                ValueType.Kind.INTEGER, ValueType.Kind.CANONICAL);
        assertThat(p.columns()).extracting(m -> m.type().writeType()).containsExactly("numeric", "int8", "text");
        // every numeric(10,3) value fits numeric(12,2) after rounding: no check per row
        assertThat(p.columns().get(0).fit()).isEmpty(); // numeric(10,3) rounds into numeric(12,2) whatever it holds
        assertThat(p.columns().get(1).fit()).isEmpty();
    }

    @Test
    void everyProblemOfEveryMappingIsNamedBeforeAnyRowIsRead() {
        List<String> problems = problems("""
                syncs:
                  - name: orders
                    source: { connection: db, table: source_order, where: "statuss = 1" }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    columns: { price: totl_price, colour: email, created: created_on, "upper(nope)": note }
                  - name: missing
                    source: { connection: db, table: public.nothing_here }
                    target: { connection: db, table: no_key }
                    key: { id: code }
                  - name: unkeyed
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: no_key }
                    key: { reference: code }
                """, Purpose.DIFF);

        assertThat(problems).containsExactly(
                "mapping 'orders': source.where 'statuss = 1' is not a valid condition on public.source_order:"
                        + " column \"statuss\" does not exist [SQLSTATE 42703]",
                "mapping 'orders': columns: target table public.destination_order has no column 'totl_price'"
                        + " (columns: code, total_price, number_of_items, email, created_on, flagged, note, total_x2)",
                "mapping 'orders': columns: source table public.source_order has no column 'colour'"
                        + " (columns: reference, status, price, item_count, customer_email, created)",
                "mapping 'orders': columns: source column 'created' (date) cannot be compared with target column"
                        + " 'created_on' (uuid); convert it explicitly, e.g. map \"created::uuid\" to created_on",
                "mapping 'orders': columns: source expression 'upper(nope)' is not valid on public.source_order:"
                        + " column \"nope\" does not exist [SQLSTATE 42703]",
                "mapping 'missing': source table 'public.nothing_here' does not exist on connection 'db'"
                        + " (write it as schema.table; unqualified names follow the search_path)",
                "mapping 'unkeyed': key: no primary key or unique constraint on target table public.no_key covers"
                        + " exactly (code); add one (ALTER TABLE \"public\".\"no_key\" ADD UNIQUE (...)) or map the"
                        + " key to the columns of an existing one");
    }

    @Test
    void syncAlsoChecksThatTheTargetCanBeWritten() {
        String mapping = """
                syncs:
                  - name: orders
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    columns: { price: total_x2 }
                """;
        assertThat(plan(mapping, Purpose.DIFF)).hasSize(1);
        assertThat(problems(mapping, Purpose.SYNC)).containsExactly(
                "mapping 'orders': target column 'note' of public.destination_order is NOT NULL without a default"
                        + " and is not mapped; inserts would fail. Map a source column or expression to it",
                "mapping 'orders': target column 'total_x2' of public.destination_order is a generated column and"
                        + " cannot be written; remove it from the mapping");
    }

    @Test
    void aRefusedPairIntoANotNullColumnIsSaidOnceNotAlsoAsUnmapped() {
        db.execute("CREATE TABLE strict_order (code varchar(32) PRIMARY KEY, created_on uuid NOT NULL,"
                + " \"Total\" numeric NOT NULL)");
        String refusal = "mapping 'orders': columns: source column 'created' (date) cannot be compared with target"
                + " column 'created_on' (uuid); convert it explicitly, e.g. map \"created::uuid\" to created_on";
        assertThat(problems("""
                syncs:
                  - name: orders
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: strict_order }
                    key: { reference: code }
                    columns: { created: created_on, price: Total }
                """, Purpose.SYNC)).containsExactly(refusal);
        // the refusal alone, also when the columns are paired by name; an unpaired NOT NULL column is still said
        db.execute("ALTER TABLE strict_order RENAME COLUMN created_on TO created");
        assertThat(problems("""
                syncs:
                  - name: orders
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: strict_order }
                    key: { reference: code }
                """, Purpose.SYNC)).containsExactly(refusal.replace("created_on", "created"),
                "mapping 'orders': target column 'Total' of public.strict_order is NOT NULL without a default and is"
                        + " not mapped; inserts would fail. Map a source column or expression to it");
    }

    @Test
    void softDeleteMarkerMustBeAnUnmappedBooleanOrTimestamp() {
        assertThat(problems("""
                syncs:
                  - name: a
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    columns: { status: note }
                    deletes: { soft: note }
                  - name: b
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    deletes: { soft: is_gone }
                """, Purpose.DIFF)).containsExactly(
                "mapping 'a': deletes.soft: column 'note' is also mapped; the soft-delete marker must be a column"
                        + " that only recon writes",
                "mapping 'a': deletes.soft: column 'note' is text; it must be boolean (set true) or a date/timestamp"
                        + " (set to now())",
                "mapping 'b': deletes.soft: target table public.destination_order has no column 'is_gone'");
        // a marker mapped from a column that has a problem of its own: both are said
        List<String> both = problems("""
                syncs:
                  - name: e
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    columns: { created: flagged }
                    deletes: { soft: flagged }
                """, Purpose.DIFF);
        assertThat(both).hasSize(2).contains("mapping 'e': deletes.soft: column 'flagged' is also mapped; the"
                + " soft-delete marker must be a column that only recon writes");
        MappingPlan ok = plan("""
                syncs:
                  - name: c
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    deletes: { soft: flagged }
                """, Purpose.DIFF).get(0);
        assertThat(ok.softDelete()).contains(new SoftDelete("flagged", true));
    }

    @Test
    void anUnreachableServerIsAProblemNamingTheConnectionWithoutItsPassword() {
        ReconConfig config = new ConfigLoader(Map.of()).parse("""
                connections:
                  dead: { url: "jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2", user: u, password: hunter2 }
                syncs:
                  - name: t
                    source: { connection: dead, table: a }
                    target: { connection: dead, table: b }
                    key: { id: id }
                """, "t.yaml");
        assertThatThrownBy(() -> new Planner(config, new Databases()).plan(List.of(), Purpose.DIFF))
                .isInstanceOf(PlanException.class)
                .hasMessage("cannot connect to connection 'dead'; nothing was read or written:")
                .satisfies(e -> {
                    List<String> problems = ((PlanException) e).problems();
                    assertThat(problems).hasSize(1);
                    assertThat(problems.get(0))
                            .startsWith("mapping 't': source: cannot connect to connection 'dead'"
                                    + " (jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2): ")
                            .contains("[SQLSTATE 08001]")
                            .doesNotContain("hunter2");
                });
    }

    @Test
    void aHeadingSaysCannotConnectForAServerAndAsWrittenForTheFile() {
        ReconConfig config = new ConfigLoader(Map.of()).parse(db.connectionsYaml().replace("connections:\n",
                "connections:\n  dead: { url: \"jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2\" }\n") + """
                syncs:
                  - name: t
                    source: { connection: dead, table: a }
                    target: { connection: db, table: destination_order }
                    key: { id: code }
                  - name: u
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                    columns: { price: totl_price }
                """, "t.yaml");
        assertThatThrownBy(() -> new Planner(config, new Databases()).plan(List.of(), Purpose.DIFF))
                .isInstanceOf(PlanException.class)
                .hasMessage("cannot connect to connection 'dead', and the mappings cannot run as written (1 problem);"
                        + " nothing was read or written:");
        assertThatThrownBy(() -> new Planner(config, new Databases()).plan(List.of("u"), Purpose.DIFF))
                .isInstanceOf(PlanException.class)
                .hasMessage("the mappings cannot run as written (1 problem); nothing was read or written:");
    }

    @Test
    void anUnknownMappingNameIsRejected() {
        ReconConfig config = new ConfigLoader(Map.of()).parse(db.connectionsYaml() + """
                syncs:
                  - name: t
                    source: { connection: db, table: source_order }
                    target: { connection: db, table: destination_order }
                    key: { reference: code }
                """, "t.yaml");
        assertThatThrownBy(() -> new Planner(config, new Databases()).plan(List.of("x"), Purpose.DIFF))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems())
                        .containsExactly("no mapping named 'x' (defined: t)"));
    }

    @Test
    void aTableWithoutAKeyIsAMultisetOfItsColumnsAndRefusesWhatNeedsAKey() {
        MappingPlan p = plan("""
                syncs:
                  - name: bag
                    source: { connection: db, table: no_key }
                    target: { connection: db, table: no_key }
                    key: none
                """, Purpose.SYNC).get(0);
        assertThat(p.multiset()).isTrue();
        assertThat(p.columns()).isEmpty();
        assertThat(p.keyColumns().stream().map(ColumnMapping::targetColumn)).containsExactly("code", "total_price");
        assertThat(p.keys().get(2).targetColumn()).isEqualTo(ColumnMapping.COPY);
        assertThat(p.keyColumns()).allMatch(ColumnMapping::targetNullable);

        assertThat(problems("""
                syncs:
                  - name: bag
                    source: { connection: db, table: no_key }
                    target: { connection: db, table: no_key }
                    key: none
                    compare: [code]
                    deletes: { soft: code }
                """, Purpose.DIFF)).contains(
                "mapping 'bag': compare: a table without a key is compared as a multiset of all its mapped columns;"
                        + " remove compare, or give a key",
                "mapping 'bag': deletes.soft needs a key: target table public.no_key has none, so its rows are"
                        + " compared as a multiset and a surplus copy can only be deleted; use deletes: delete or"
                        + " ignore, or give a key");
        assertThatThrownBy(() -> plan("""
                syncs:
                  - name: bag
                    source: { connection: db, table: no_key }
                    target: { connection: db, table: no_key }
                    key: all
                """, Purpose.DIFF)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "syncs[0] (bag).key: must be a mapping of source column (or expression) to target column, or none"
                                + " for a table without a key (compared as a multiset)"));
    }
}
