package dev.recon.engines.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which errors stop a sync (the connection, the server, a missing privilege: every row would
 * fail alike) and which isolate the row (a constraint, a trigger, a bad value).
 */
class BatchWriterFatalTest {
    private static boolean fatal(String sqlState) {
        return BatchWriter.fatal(new SQLException("x", sqlState));
    }

    @Test
    void connectionServerAndPrivilegeErrorsAreFatal() {
        assertThat(fatal(null)).isTrue();
        assertThat(fatal("08006")).as("connection failure").isTrue();
        assertThat(fatal("53100")).as("disk full").isTrue();
        assertThat(fatal("57P01")).as("admin shutdown").isTrue();
        assertThat(fatal("58030")).as("io error").isTrue();
        assertThat(fatal("XX000")).as("internal error").isTrue();
        assertThat(fatal("25P02")).as("transaction aborted").isTrue();
        assertThat(fatal("42501")).as("insufficient privilege").isTrue();
    }

    @Test
    void rowErrorsAreIsolated() {
        assertThat(fatal("23505")).as("unique violation").isFalse();
        assertThat(fatal("23514")).as("check violation").isFalse();
        assertThat(fatal("23502")).as("not null violation").isFalse();
        assertThat(fatal("22001")).as("value too long").isFalse();
        assertThat(fatal("P0001")).as("raised by a trigger").isFalse();
        assertThat(fatal("57014")).as("statement timeout: the rows are retried").isFalse();
    }
}
