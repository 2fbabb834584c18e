package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.PlanException;
import dev.recon.config.SyncOptions;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MariaDB {@code DATETIME(6)}, which holds no zone, against a PostgreSQL {@code timestamptz}
 * with {@code time_zone: Europe/Paris}: both ways, across both of 2024's DST edges (the
 * spring-forward gap and the fall-back overlap), against PostgreSQL's own {@code AT TIME ZONE}
 * as the oracle; a diff finds exactly the rows that differ and a sync converges. Without the
 * zone the pair is refused with the fix named.
 */
class MariaDbTimeZoneTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();
    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static final String STATE = "recon_tz_" + ProcessHandle.current().pid();

    /** Local times in Paris: before the gap, in it, after it; in the overlap, before it; summer; a fraction. */
    private static final List<String> LOCAL = List.of("2024-03-31 01:59:59.999999", "2024-03-31 02:30:00",
            "2024-03-31 03:00:00", "2024-10-27 02:30:00", "2024-10-27 01:59:59", "2024-07-01 12:00:00.5",
            "2024-10-27 03:00:00.000001");

    @AfterAll
    static void dropState() {
        maria.execute("DROP DATABASE IF EXISTS " + STATE + ";\nDROP DATABASE IF EXISTS " + STATE + "_lock");
    }

    private static String yaml(String zone, String mapping) {
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n" + zone + "  pg:\n    url: \"" + pg.url()
                + "\"\nstate:\n  schema: " + STATE + "\nsyncs:\n" + mapping;
    }

    private static List<String> changes(Recon recon, String name) {
        List<String> out = new ArrayList<>();
        recon.diff(DiffRequest.of(List.of(name)).withListener((plan, c) -> out.add(describe(c))));
        out.sort(null);
        return out;
    }

    private static String describe(RowChange c) {
        return c.operation().label() + " " + c.key() + " " + c.source() + " " + c.target();
    }

    @Test
    void aDatetimeInParisComparesWithATimestamptzAcrossBothDstEdges() {
        maria.execute("DROP TABLE IF EXISTS tz;\nCREATE TABLE tz (id int PRIMARY KEY, at datetime(6))");
        pg.execute("DROP TABLE IF EXISTS tz; CREATE TABLE tz (id int PRIMARY KEY, at timestamptz(6))");
        StringBuilder rows = new StringBuilder("INSERT INTO tz VALUES ");
        for (int i = 0; i < LOCAL.size(); i++) {
            rows.append(i == 0 ? "" : ", ").append("(").append(i + 1).append(", '").append(LOCAL.get(i)).append("')");
        }
        maria.execute(rows + ", (8, NULL), (9, '2024-12-24 18:00:00')");
        // the oracle: PostgreSQL's own reading of the same local times in Paris; row 6 a second off, row 9 missing
        pg.execute(rows.toString().replace("')", "'::timestamp AT TIME ZONE 'Europe/Paris')") + ", (8, NULL)");
        pg.execute("UPDATE tz SET at = at + interval '1 second' WHERE id = 6");
        String mapping = "  - name: from\n    source: {connection: maria, table: tz}\n"
                + "    target: {connection: pg, table: public.tz}\n    key: {id: id}\n"
                + "  - name: from_hash\n    source: {connection: maria, table: tz}\n"
                + "    target: {connection: pg, table: public.tz}\n    key: {id: id}\n    strategy: hash\n";
        String paris = "    time_zone: Europe/Paris\n";

        assertThatThrownBy(() -> MariaDbSourceTest.recon(yaml("", mapping)).validate(List.of(), false))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).hasSize(2).allSatisfy(p -> assertThat(p)
                        .contains("a datetime holds no time zone, so which instant it is is unknown; say which zone"
                                + " its values are in: time_zone: Europe/Paris (or +00:00) on its connection, or"
                                + " rules: { <target column>: { time_zone: Europe/Paris } }")));

        Recon recon = MariaDbSourceTest.recon(yaml(paris, mapping));
        String utc6 = pg.value("SELECT (at - interval '1 second')::text FROM tz WHERE id = 6", String.class)
                .replace("+00", "") + "+00";
        List<String> expected = List.of("insert [9] [9, 2024-12-24 17:00:00+00] []",
                "update [6] [6, " + utc6 + "] [6, " + pg.value("SELECT at::text FROM tz WHERE id = 6", String.class) + "]");
        assertThat(changes(recon, "from")).isEqualTo(expected);
        assertThat(changes(recon, "from_hash")).isEqualTo(expected);
        RunResult hashed = recon.diff(DiffRequest.of(List.of("from_hash")));
        assertThat(hashed.mappings().get(0).details().get(Figure.COLUMNS_NOT_HASHABLE)).hasValue(1L);

        // the same zone as a rule of the column, and no zone on the connection: the same answer
        String ruled = mapping.replace("    key: {id: id}\n  - name: from_hash", "    key: {id: id}\n"
                + "    rules: { at: { time_zone: Europe/Paris } }\n  - name: from_hash")
                + "    rules: { at: { time_zone: Europe/Paris } }\n";
        assertThat(changes(MariaDbSourceTest.recon(yaml("", ruled)), "from")).isEqualTo(expected);

        RunResult synced = recon.sync(SyncRequest.of(List.of("from"), SyncOptions.defaults()));
        assertThat(synced.converged()).isTrue();
        assertThat(changes(recon, "from")).isEmpty();
        assertThat(pg.value("SELECT string_agg(id || '=' || coalesce(at::text, 'NULL'), ',' ORDER BY id) FROM tz",
                String.class))
                .isEqualTo("1=2024-03-31 00:59:59.999999+00,2=2024-03-31 01:30:00+00,3=2024-03-31 01:00:00+00,"
                        + "4=2024-10-27 01:30:00+00,5=2024-10-26 23:59:59+00,6=2024-07-01 10:00:00.5+00,"
                        + "7=2024-10-27 02:00:00.000001+00,8=NULL,9=2024-12-24 17:00:00+00");
    }

    @Test
    void aTimestamptzIsWrittenIntoADatetimeAsTheLocalTimeInItsZone() {
        pg.execute("DROP TABLE IF EXISTS tzs; CREATE TABLE tzs (id int PRIMARY KEY, at timestamptz(6));"
                + " INSERT INTO tzs VALUES (1, '2024-10-27 00:30:00+00'), (2, '2024-10-27 01:30:00+00'),"
                + " (3, '2024-03-31 00:59:59.999999+00'), (4, '2024-03-31 01:00:00+00'), (5, NULL),"
                + " (6, '2024-07-01 10:00:00.5+00')");
        maria.execute("DROP TABLE IF EXISTS tzd;\nCREATE TABLE tzd (id int PRIMARY KEY, at datetime(6))");
        String mapping = "  - name: into\n    source: {connection: pg, table: public.tzs}\n"
                + "    target: {connection: maria, table: tzd}\n    key: {id: id}\n";
        assertThatThrownBy(() -> MariaDbSourceTest.recon(yaml("", mapping)).validate(List.of(), false))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().satisfies(p ->
                        assertThat(p).contains("time_zone: Europe/Paris (or +00:00) on its connection")));
        Recon recon = MariaDbSourceTest.recon(yaml("    time_zone: Europe/Paris\n", mapping));
        assertThat(recon.sync(SyncRequest.of(List.of("into"), SyncOptions.defaults())).converged()).isTrue();
        // both instants of the repeated hour are 02:30 in Paris; the oracle is PostgreSQL's AT TIME ZONE
        assertThat(maria.queryString("SELECT GROUP_CONCAT(id, '=', COALESCE(CAST(at AS CHAR), 'NULL') ORDER BY id)"
                + " FROM tzd")).isEqualTo(pg.value("SELECT string_agg(id || '=' || coalesce(to_char(at AT TIME"
                        + " ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI:SS.US'), 'NULL'), ',' ORDER BY id) FROM tzs",
                        String.class));
        assertThat(changes(recon, "into")).isEmpty();
        maria.execute("UPDATE tzd SET at = '2024-10-27 02:30:00.000001' WHERE id = 2");
        assertThat(changes(recon, "into")).singleElement().satisfies(c -> assertThat(c).startsWith("update [2]"));
        // a fixed offset is an offset east of UTC, as ISO 8601 writes it: Paris's summer time, not its winter's
        Recon plusTwo = MariaDbSourceTest.recon(yaml("    time_zone: \"+02:00\"\n", mapping));
        assertThat(changes(plusTwo, "into")).hasSize(2).allSatisfy(c -> assertThat(c).matches("update \\[[23]\\].*"));
    }
}
