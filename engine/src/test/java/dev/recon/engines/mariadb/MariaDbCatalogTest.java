package dev.recon.engines.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.testing.MariaDbDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbCatalogTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @Test
    void readsColumnsKeysGeneratedColumnsAndCollations() throws SQLException {
        maria.execute("""
                CREATE TABLE orders (
                  region char(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                  code varchar(20) NOT NULL,
                  total decimal(12,2) unsigned,
                  paid tinyint(1) NOT NULL DEFAULT 0,
                  at datetime(3),
                  shout varchar(40) AS (upper(code)) VIRTUAL,
                  email varchar(80) NOT NULL,
                  nick varchar(20),
                  PRIMARY KEY (region, code),
                  UNIQUE KEY by_email (email),
                  UNIQUE KEY by_nick (nick)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
                """);
        try (Connection c = maria.connect()) {
            MariaDbCatalog catalog = new MariaDbCatalog(c);
            MariaDbTable t = catalog.table("orders").orElseThrow();
            assertThat(t.displayName()).isEqualTo(maria.name() + ".orders");
            assertThat(t.sqlName()).isEqualTo("`" + maria.name() + "`.`orders`");
            assertThat(t.kind()).isEqualTo("table");
            assertThat(t.engine()).isEqualTo("InnoDB");
            assertThat(t.columns()).extracting(MariaDbColumn::name)
                    .containsExactly("region", "code", "total", "paid", "at", "shout", "email", "nick");
            assertThat(t.primaryKey()).containsExactly("region", "code");
            assertThat(t.uniqueKeys()).containsExactlyInAnyOrder(List.of("email"), List.of("nick"));
            MariaDbColumn total = t.column("total").orElseThrow();
            assertThat(total.dataType()).isEqualTo("decimal");
            assertThat(total.columnType()).isEqualTo("decimal(12,2) unsigned");
            assertThat(total.unsigned()).isTrue();
            assertThat(total.precision()).isEqualTo(12);
            assertThat(total.scale()).isEqualTo(2);
            assertThat(total.nullable()).isTrue();
            assertThat(t.column("paid").orElseThrow().booleanLike()).isTrue();
            assertThat(t.column("at").orElseThrow().fractionDigits()).isEqualTo(3);
            assertThat(t.column("shout").orElseThrow().generated()).isTrue();
            assertThat(t.column("code").orElseThrow().generated()).isFalse();
            // keys: unique as the collation sees them; 'A' and 'a' are one code under utf8mb4_general_ci
            assertThat(t.uniqueOn(List.of("code", "region"))).isTrue();
            assertThat(t.uniqueOn(List.of("email"))).isTrue();
            assertThat(t.uniqueOn(List.of("nick"))).as("a nullable unique key allows many NULLs").isFalse();
            assertThat(t.uniqueOn(List.of("code"))).isFalse();
            assertThat(t.caseInsensitiveKeyColumns(List.of("region", "code"))).containsExactly("code");
            // by database, backquoted, and missing
            assertThat(catalog.table("`" + maria.name() + "`.`orders`")).isPresent();
            assertThat(catalog.table("nope")).isEmpty();
            assertThat(catalog.table("nope.orders")).isEmpty();
        }
    }
}
