package dev.recon.apply;

/** Escapes a value for COPY's text format: backslash sequences for \, tab, newline, CR; \N for NULL. */
final class CopyText {
    private CopyText() {
    }

    static void append(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }
}
