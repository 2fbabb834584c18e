package dev.recon.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A value cut into pieces for the html report: plain text, the part that differs from the
 * other side's value, whitespace and control characters made visible, and markers for NULL,
 * the empty string and text left out. The template gives each piece its class and escapes its
 * text; nothing here produces markup.
 */
public final class HtmlText {
    /** Code points of a value shown before and after the part that differs. */
    static final int CONTEXT = 60;
    /** Code points of the differing part shown, at most. */
    static final int DIFFERING = 240;
    /** Values up to this long are shown whole. */
    static final int WHOLE = 400;

    private HtmlText() {
    }

    /** One run of text and what it is. */
    public record Piece(String text, Kind kind) {
        public String css() {
            return kind.css;
        }

        public boolean plain() {
            return kind == Kind.PLAIN;
        }

        /** A tooltip saying what a marker stands for (null for text). */
        public String title() {
            return switch (kind) {
                case NULL -> "SQL NULL (no value)";
                case EMPTY -> "the empty string";
                case VISIBLE, CHANGED_VISIBLE -> text.equals("·") ? "a space" : text.equals("↵") ? "a line break"
                        : text.equals("⇥") ? "a tab" : text.equals("␍") ? "a carriage return" : "character " + text;
                case CUT -> "left out of the report";
                default -> null;
            };
        }
    }

    /** What a piece of a value is. */
    public enum Kind {
        /** Text equal on both sides (or a value with nothing to compare). */
        PLAIN(""),
        /** The part of the value that differs from the other side's. */
        CHANGED("chg"),
        /** Whitespace or a control character, shown as a visible sign (the text is the sign). */
        VISIBLE("ws"),
        /** The same, in the part that differs. */
        CHANGED_VISIBLE("ws chg"),
        /** SQL NULL. */
        NULL("null"),
        /** The empty string. */
        EMPTY("empty"),
        /** Text left out of a long value, with how long the value is. */
        CUT("cut");

        final String css;

        Kind(String css) {
            this.css = css;
        }
    }

    /** A value on its own (a key, a value without a counterpart): control characters visible. */
    public static List<Piece> of(String value) {
        if (value == null) {
            return List.of(new Piece("NULL", Kind.NULL));
        }
        if (value.isEmpty()) {
            return List.of(new Piece("empty", Kind.EMPTY));
        }
        int[] cps = value.codePoints().toArray();
        List<Piece> out = new ArrayList<>();
        int n = Math.min(cps.length, WHOLE);
        append(out, cps, 0, n, false);
        if (n < cps.length) {
            out.add(new Piece("… (" + cps.length + " characters)", Kind.CUT));
        }
        return out;
    }

    /**
     * The target's and the source's values of one changed column, each with the part that
     * differs from the other marked: what lies between their common beginning and their
     * common end. Whitespace at the edges of that part, and at either end of a value, is shown
     * as signs, so that {@code 'a '} against {@code 'a'} is visible. Long values keep {@link #CONTEXT}
     * characters either side of the differing part.
     */
    public static List<List<Piece>> compared(String target, String source) {
        if (target == null || source == null || target.isEmpty() || source.isEmpty()) {
            return List.of(of(target), of(source));
        }
        int[] a = target.codePoints().toArray();
        int[] b = source.codePoints().toArray();
        int prefix = 0;
        while (prefix < a.length && prefix < b.length && a[prefix] == b[prefix]) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.length - prefix && suffix < b.length - prefix
                && a[a.length - 1 - suffix] == b[b.length - 1 - suffix]) {
            suffix++;
        }
        return List.of(marked(a, prefix, suffix), marked(b, prefix, suffix));
    }

    /** One side: [0, prefix) equal, then the differing part, then the last {@code suffix} equal. */
    private static List<Piece> marked(int[] cps, int prefix, int suffix) {
        List<Piece> out = new ArrayList<>();
        int end = cps.length - suffix;
        boolean whole = cps.length <= WHOLE;
        int from = whole ? 0 : Math.max(0, prefix - CONTEXT);
        if (from > 0) {
            out.add(new Piece("…", Kind.CUT));
        }
        append(out, cps, from, prefix, false);
        int changedEnd = whole ? end : Math.min(end, prefix + DIFFERING);
        append(out, cps, prefix, changedEnd, true);
        if (changedEnd < end) {
            out.add(new Piece("…", Kind.CUT));
        }
        int to = whole ? cps.length : Math.min(cps.length, end + CONTEXT);
        append(out, cps, end, to, false);
        if (!whole) {
            out.add(new Piece((to < cps.length ? "… " : " ") + "(" + cps.length + " characters)", Kind.CUT));
        }
        return out;
    }

    /**
     * Code points [from, to) as pieces of {@code kind} CHANGED (when {@code changed}) or PLAIN.
     * Control characters always become VISIBLE signs; whitespace does at either end of the
     * value and at either end of a differing part (so a part that is only whitespace is all
     * signs), and stays as it is between words.
     */
    private static void append(List<Piece> out, int[] cps, int from, int to, boolean changed) {
        int first = 0;
        while (first < cps.length && isSpace(cps[first])) {
            first++;
        }
        int last = cps.length - 1;
        while (last >= 0 && isSpace(cps[last])) {
            last--;
        }
        // in the differing part, whitespace at its edges (all of it, when that is all it holds)
        int regionFirst = from;
        while (regionFirst < to && isSpace(cps[regionFirst])) {
            regionFirst++;
        }
        int regionLast = to - 1;
        while (regionLast >= from && isSpace(cps[regionLast])) {
            regionLast--;
        }
        StringBuilder run = new StringBuilder();
        Kind kind = changed ? Kind.CHANGED : Kind.PLAIN;
        for (int i = from; i < to; i++) {
            int c = cps[i];
            boolean edge = i < first || i > last || changed && (i < regionFirst || i > regionLast);
            String sign = sign(c, edge);
            if (sign == null) {
                run.appendCodePoint(c);
                continue;
            }
            if (run.length() > 0) {
                out.add(new Piece(run.toString(), kind));
                run.setLength(0);
            }
            out.add(new Piece(sign, changed ? Kind.CHANGED_VISIBLE : Kind.VISIBLE));
            if (c == '\n') {
                run.append('\n'); // the line still breaks where the value's does
            }
        }
        if (run.length() > 0) {
            out.add(new Piece(run.toString(), kind));
        }
    }

    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** The visible sign of a character, or null to show it as it is. */
    private static String sign(int c, boolean spacesToo) {
        switch (c) {
            case '\n':
                return "↵";
            case '\r':
                return "␍";
            case '\t':
                return "⇥";
            default:
                break;
        }
        if (Values.hidden(c)) {
            return String.format("\\u%04x", c);
        }
        if (spacesToo && c == ' ') {
            return "·";
        }
        if (spacesToo && isSpace(c)) {
            return String.format("\\u%04x", c);
        }
        return null;
    }
}
