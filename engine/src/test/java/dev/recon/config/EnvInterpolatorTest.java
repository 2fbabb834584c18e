package dev.recon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ${NAME} and ${NAME:-default} in the mapping file, $${ for a literal ${. */
class EnvInterpolatorTest {
    private final EnvInterpolator env = new EnvInterpolator(Map.of("HOST", "db.example.com", "EMPTY", "",
            "ODD", "a$1\\b"));

    @Test
    void replacesVariablesAndDefaultsAndKeepsEverythingElse() {
        List<String> undefined = new ArrayList<>();
        assertThat(env.interpolate("jdbc:postgresql://${HOST}:5432/${DB:-app}", undefined::add))
                .isEqualTo("jdbc:postgresql://db.example.com:5432/app");
        assertThat(env.interpolate("${EMPTY:-unused}|${EMPTY}", undefined::add)).isEqualTo("|");
        assertThat(env.interpolate("${ODD}", undefined::add)).isEqualTo("a$1\\b");
        assertThat(env.interpolate("no variables, $HOST, {HOST}", undefined::add))
                .isEqualTo("no variables, $HOST, {HOST}");
        assertThat(undefined).isEmpty();
    }

    @Test
    void aDoubledDollarIsALiteralAndAnUndefinedVariableIsReportedByName() {
        List<String> undefined = new ArrayList<>();
        assertThat(env.interpolate("$${HOST} ${HOST}", undefined::add)).isEqualTo("${HOST} db.example.com");
        assertThat(env.interpolate("${PASSWORD}/${TOKEN}", undefined::add)).isEqualTo("/");
        assertThat(undefined).containsExactly("PASSWORD", "TOKEN");
    }
}
