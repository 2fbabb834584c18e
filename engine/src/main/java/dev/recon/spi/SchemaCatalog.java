package dev.recon.spi;

import java.util.List;
import java.util.Optional;

/** What a schema entry needs of one server's catalog: its schemas, their tables, their keys. */
public interface SchemaCatalog {
    boolean schemaExists(String schema);

    /** The schema an unqualified table name means on this connection ({@code recon init}'s default). */
    String currentSchema();

    /** The tables of {@code schema}, by name. */
    List<String> tablesIn(String schema);

    /** How the mapping file refers to a table: the schema-qualified name, quoted. */
    String ref(String schema, String table);

    /** The statement that creates {@code schema} (for the user to run). */
    String createSchema(String schema);

    /** Reads these tables at once (a cache warm-up; optional). */
    default void resolve(List<String> refs) {
    }

    /** The columns of the first key of table {@code ref} (empty for none); empty when there is no such table. */
    Optional<List<String>> firstKey(String ref);
}
