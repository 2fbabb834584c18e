package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code recon bench} end to end on a small table: it generates both databases under its own
 * prefix, and every recon line has passed the benchmark's own check (the exact differences
 * the tables hold) or the command would have failed.
 */
class BenchCommandTest {
    private static final String PREFIX = "recon_t_bench_" + ProcessHandle.current().pid();

    @AfterEach
    void dropDatabases() throws Exception {
        try (Connection c = DriverManager.getConnection(PgDatabase.adminUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PREFIX + "_source WITH (FORCE)");
            s.execute("DROP DATABASE IF EXISTS " + PREFIX + "_target WITH (FORCE)");
        }
    }

    @Test
    void measuresEveryLineOnTablesItGeneratesAndChecks() throws Exception {
        CliRun run = CliRun.run("bench", "--url", PgDatabase.adminUrl(), "--databases", PREFIX, "--rows", "2000",
                "--runs", "1", "--strategy", "hash,merge", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertThat(root.get("rows").asLong()).isEqualTo(2000);
        List<String> measured = new ArrayList<>();
        for (JsonNode line : root.get("lines")) {
            measured.add(line.get("measure").asText() + " / " + line.get("recon").asText());
            if (line.get("measure").asText().startsWith("start-up")) {
                // whole processes against the JVM's own start; --version has no in-process run
                assertThat(line.get("whole_process_seconds").asDouble()).isPositive();
                assertThat(line.get("floor_seconds").asDouble()).isPositive();
                continue;
            }
            assertThat(line.get("recon_seconds").asDouble()).isPositive();
            // the same work as a process of its own, checked as the in-process run is
            assertThat(line.get("whole_process_seconds").asDouble()).isPositive()
                    .isGreaterThanOrEqualTo(line.get("whole_process_min_seconds").asDouble())
                    .isLessThanOrEqualTo(line.get("whole_process_max_seconds").asDouble());
            assertThat(line.get("floor_seconds").asDouble()).isPositive();
            assertThat(line.get("peak_heap_mib").asDouble()).isPositive();
        }
        // 2,000 rows at 0.2%: blocks of 2,000 rows, each with 2 updates, 1 row missing, 1 extra
        assertThat(measured).containsExactly("diff, same server / join", "diff, two databases / hash",
                "diff, two databases, rules / hash", "diff, two databases / merge",
                "diff, two databases, rules / merge", "sync, 4 differences / hash + upsert", "diff, equal tables / hash",
                "initial load / sync into an empty table", "start-up: diff, 7 rows / join",
                "start-up: --version / recon --version");
        // pg_comparator, where installed, had to find exactly the same differences to be counted
        List<String> versus = new ArrayList<>();
        root.get("pg_comparator").forEach(v -> {
            versus.add(v.get("tables").asText());
            assertThat(v.get("recon_hash_whole_process_seconds").asDouble()).isPositive();
        });
        if (new File("/usr/bin/pg_comparator").canExecute() && pgcmpAvailable()) {
            assertThat(versus).containsExactly("4 differences", "equal tables");
        } else {
            assertThat(versus).isEmpty();
        }
        try (Connection c = DriverManager.getConnection(PgDatabase.adminUrl()); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("both databases under the given prefix").isEqualTo(2);
        }
    }

    @Test
    void measuresAMariaDbSourceMergedAndHashedIntoPostgresAndChecksEveryLine() throws Exception {
        try {
            CliRun run = CliRun.run("bench", "--engine", "mariadb", "--mariadb-url", MariaDbDatabase.serverUrl(),
                    "--url", PgDatabase.adminUrl(), "--databases", PREFIX, "--rows", "1000", "--runs", "1",
                    "--format", "json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode root = new ObjectMapper().readTree(run.out());
            assertThat(root.get("source").asText()).startsWith("source: MariaDB ");
            List<String> measured = new ArrayList<>();
            for (JsonNode line : root.get("lines")) {
                measured.add(line.get("measure").asText() + " / " + line.get("recon").asText());
                assertThat(line.get("whole_process_seconds").asDouble()).isPositive();
                assertThat(line.get("floor_seconds").asDouble()).isPositive();
            }
            // 1,000 rows at 0.2%: one block of 2,000 rows, its 2 updates, 1 missing and 1 extra row within
            assertThat(measured).containsExactly("diff, MariaDB source / merge", "diff, MariaDB source / hash",
                    "diff, PostgreSQL source / merge", "sync, 3 differences / merge + upsert",
                    "diff, equal tables / merge", "diff, equal tables / hash", "initial load / sync into an empty table",
                    "initial load into MariaDB / sync into an empty MariaDB table");
            assertThat(root.get("pg_comparator")).isEmpty();
        } finally {
            try (Connection c = DriverManager.getConnection(MariaDbDatabase.serverUrl());
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + PREFIX + "_source");
                s.execute("DROP DATABASE IF EXISTS " + PREFIX + "_source_state");
                s.execute("DROP DATABASE IF EXISTS " + PREFIX + "_source_state_lock");
            }
        }
    }

    /** Whether the test server can create pg_comparator's extension (the embedded server cannot). */
    private static boolean pgcmpAvailable() throws Exception {
        try (Connection c = DriverManager.getConnection(PgDatabase.adminUrl()); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_available_extensions WHERE name = 'pgcmp'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    @Test
    void aBadPrefixIsRefusedBeforeAnythingIsCreated() {
        CliRun run = CliRun.run("bench", "--url", PgDatabase.adminUrl(), "--databases", "Drop Table", "--rows", "200");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--databases takes a lower-case name");
    }
}
