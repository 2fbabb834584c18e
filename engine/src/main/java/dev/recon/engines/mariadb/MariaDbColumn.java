package dev.recon.engines.mariadb;

/**
 * One column of a MariaDB or MySQL table, as {@code information_schema.COLUMNS} describes it:
 * {@code dataType} the bare type ({@code decimal}, {@code datetime}, …), {@code columnType} the
 * whole declaration ({@code decimal(12,2) unsigned}, {@code tinyint(1)}, {@code enum('a','b')}).
 * Precision, scale and fractional-second digits are -1 where they do not apply. A mapping's
 * source expression is described as such a column too ({@code expression} not null; {@link
 * MariaDbCatalog#describe}), from the type MariaDB gives its result. {@code hasDefault}: a
 * default value, an {@code AUTO_INCREMENT}, or NULL allowed.
 */
public record MariaDbColumn(String name, String dataType, String columnType, boolean nullable, boolean generated,
        long precision, long scale, long fractionDigits, String charset, String collation, String expression,
        boolean hasDefault) {

    /** A column of the table (no expression); {@code hasDefault}: an insert that leaves it out fills it. */
    public MariaDbColumn(String name, String dataType, String columnType, boolean nullable, boolean generated,
            long precision, long scale, long fractionDigits, String charset, String collation, boolean hasDefault) {
        this(name, dataType, columnType, nullable, generated, precision, scale, fractionDigits, charset, collation,
                null, hasDefault);
    }

    /** How SQL refers to it: the quoted column, or the expression in parentheses. */
    public String sql() {
        return expression != null ? "(" + expression + ")" : MariaDbSql.quote(name);
    }

    /** {@code tinyint(1)}, {@code bool} and {@code boolean} (MariaDB's spellings of one type), and {@code bit(1)}. */
    public boolean booleanLike() {
        return columnType.startsWith("tinyint(1)") || columnType.equals("bit(1)");
    }

    public boolean unsigned() {
        return columnType.contains("unsigned");
    }

    /** A collation that calls different strings equal ({@code _ci}, {@code _ai}, accent- or case-blind). */
    public boolean caseInsensitive() {
        return collation != null && (collation.endsWith("_ci") || collation.contains("_ai_"));
    }
}
