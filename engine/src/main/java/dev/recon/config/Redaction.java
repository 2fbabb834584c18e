package dev.recon.config;

import java.util.regex.Pattern;

/** Masks secrets in text that may reach a log, a report or an error message. */
public final class Redaction {
    private static final Pattern URL_SECRET =
            Pattern.compile("(?i)((?:password|sslpassword|sslkey)=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private Redaction() {
    }

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)[?&;]password=([^&;]*)");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("//[^/:@]+:([^@/]*)@");

    /**
     * {@code text} (a driver's message about {@code url}) with every password the URL holds and
     * {@code password} masked: drivers repeat parts of the URL they could not use ("host
     * 'user:secret@db' is unknown").
     */
    public static String maskSecrets(String text, String url, String password) {
        if (text == null) {
            return null;
        }
        java.util.List<String> secrets = new java.util.ArrayList<>();
        if (password != null) {
            secrets.add(password);
        }
        if (url != null) {
            for (Pattern p : java.util.List.of(URL_PASSWORD, USERINFO_PASSWORD)) {
                java.util.regex.Matcher m = p.matcher(url);
                while (m.find()) {
                    secrets.add(m.group(1));
                }
            }
        }
        String masked = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }

    /** The URL without its passwords ({@code password=} parameters, {@code user:password@}), for a file to name. */
    public static String withoutPassword(String url) {
        String stripped = PASSWORD_PARAMETER.matcher(url).replaceAll(m -> m.group(2) == null ? ""
                : m.group(1).equals("?") ? "?" : m.group(1));
        return USERINFO.matcher(stripped).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1).substring(0, m.group(1).length() - 1) + "@"));
    }

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;])password=[^&;]*(&|;)?");

    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = URL_SECRET.matcher(url).replaceAll("$1***");
        return USERINFO.matcher(masked).replaceAll("$1***@");
    }
}
