package dev.recon.config;

import java.util.regex.Pattern;

/** Masks secrets in text that may reach a log, a report or an error message. */
public final class Redaction {
    private static final Pattern URL_SECRET =
            Pattern.compile("(?i)((?:password|sslpassword|sslkey)=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private Redaction() {
    }

    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = URL_SECRET.matcher(url).replaceAll("$1***");
        return USERINFO.matcher(masked).replaceAll("$1***@");
    }
}
