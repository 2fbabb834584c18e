package dev.recon.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How {@code recon init} reads a table's or a column's name: its words ({@code custNm},
 * {@code CUST_NM} and {@code cust-nm} are {@code cust nm}), each word as the word it abbreviates
 * ({@code cust} is {@code customer}, {@code nm} is {@code name}) and in the singular, and how
 * alike two names are, from 1 (equal) down to 0. Pure functions, no catalog.
 */
final class Names {
    private Names() {
    }

    /** Abbreviations and synonyms, by the word they stand for (one or more words). */
    private static final Map<String, List<String>> WORDS = Map.ofEntries(
            e("cust", "customer"), e("cst", "customer"), e("clnt", "client"), e("usr", "user"),
            e("nm", "name"), e("nme", "name"), e("fname", "first", "name"), e("lname", "last", "name"),
            e("firstname", "first", "name"), e("lastname", "last", "name"), e("fullname", "full", "name"),
            e("username", "user", "name"), e("surname", "last", "name"), e("forename", "first", "name"),
            e("qty", "quantity"), e("qnty", "quantity"), e("amt", "amount"), e("amnt", "amount"),
            e("addr", "address"), e("adr", "address"), e("desc", "description"), e("descr", "description"),
            e("dsc", "description"), e("no", "number"), e("num", "number"), e("nbr", "number"), e("nr", "number"),
            e("prod", "product"), e("prd", "product"), e("cat", "category"), e("categ", "category"),
            e("emp", "employee"), e("empl", "employee"), e("dept", "department"), e("dep", "department"),
            e("inv", "invoice"), e("ord", "order"), e("txn", "transaction"), e("trx", "transaction"),
            e("trans", "transaction"), e("acct", "account"), e("acc", "account"), e("bal", "balance"),
            e("prc", "price"), e("pct", "percent"), e("perc", "percent"), e("cnt", "count"), e("stat", "status"),
            e("sts", "status"), e("msg", "message"), e("pwd", "password"), e("pass", "password"),
            e("tel", "phone"), e("ph", "phone"), e("phn", "phone"), e("telephone", "phone"), e("mobile", "phone"),
            e("mail", "email"), e("dob", "birth", "date"), e("birthdate", "birth", "date"),
            e("birthday", "birth", "date"), e("zip", "postal", "code"), e("zipcode", "postal", "code"),
            e("postcode", "postal", "code"), e("postal", "postal"), e("curr", "currency"), e("ccy", "currency"),
            e("cur", "currency"), e("loc", "location"), e("mgr", "manager"), e("org", "organization"),
            e("organisation", "organization"), e("co", "company"), e("comp", "company"), e("cmp", "company"),
            e("supp", "supplier"), e("sup", "supplier"), e("vend", "vendor"), e("vndr", "vendor"),
            e("wh", "warehouse"), e("whse", "warehouse"), e("shp", "shipment"), e("ship", "shipment"),
            e("shipping", "shipment"), e("shipped", "shipment"), e("pmt", "payment"), e("pay", "payment"), e("paymt", "payment"),
            e("ref", "reference"), e("seq", "number"), e("sequence", "number"), e("src", "source"), e("tgt", "target"),
            e("val", "value"), e("yr", "year"), e("mth", "month"), e("mo", "month"), e("wk", "week"),
            e("hr", "hour"), e("hrs", "hour"), e("lvl", "level"), e("grp", "group"), e("cfg", "config"), e("conf", "config"),
            e("configuration", "config"), e("img", "image"), e("pic", "image"), e("picture", "image"),
            e("ctry", "country"), e("cntry", "country"), e("st", "state"), e("prov", "province"),
            e("reg", "region"), e("ttl", "title"), e("tot", "total"), e("wt", "weight"), e("wgt", "weight"),
            e("ht", "height"), e("len", "length"), e("dim", "dimension"), e("sku", "sku"), e("uom", "unit"),
            e("unt", "unit"), e("itm", "item"), e("ln", "line"), e("hdr", "header"), e("dtl", "detail"),
            e("det", "detail"), e("cmt", "comment"), e("rmk", "remark"), e("note", "comment"),
            e("notes", "comment"), e("remarks", "comment"), e("disc", "discount"), e("dsct", "discount"),
            e("tx", "tax"), e("vat", "tax"), e("eff", "effective"), e("exp", "expiry"), e("expires", "expiry"),
            e("expiration", "expiry"), e("strt", "start"), e("beg", "start"), e("begin", "start"),
            e("fin", "end"), e("stop", "end"), e("actv", "active"), e("act", "active"), e("enabled", "active"),
            e("del", "deleted"), e("dlt", "deleted"), e("flg", "flag"), e("ind", "flag"), e("is", "flag"),
            e("crt", "created"), e("cre", "created"), e("create", "created"), e("creation", "created"),
            e("crtd", "created"), e("ins", "created"), e("inserted", "created"), e("upd", "updated"),
            e("update", "updated"), e("updt", "updated"), e("mod", "updated"), e("modified", "updated"),
            e("modify", "updated"), e("modification", "updated"), e("changed", "updated"), e("chg", "updated"),
            e("lst", "last"), e("dt", "time"), e("date", "time"), e("ts", "time"), e("tm", "time"),
            e("tstamp", "time"), e("timestamp", "time"), e("datetime", "time"), e("at", "time"),
            e("on", "time"), e("identifier", "id"), e("key", "id"), e("uid", "id"), e("guid", "uuid"),
            e("code", "code"), e("cd", "code"), e("typ", "type"), e("tp", "type"), e("kind", "type"),
            e("pos", "position"), e("idx", "index"), e("rnk", "rank"), e("pts", "points"),
            e("lat", "latitude"), e("lng", "longitude"), e("lon", "longitude"), e("long", "longitude"),
            e("url", "url"), e("uri", "url"), e("link", "url"), e("web", "website"), e("site", "website"),
            e("www", "website"), e("ip", "ip"), e("hst", "host"), e("svc", "service"), e("srv", "service"),
            e("prj", "project"), e("proj", "project"), e("tsk", "task"), e("tkt", "ticket"), e("ev", "event"),
            e("evt", "event"), e("sess", "session"), e("ssn", "session"), e("acl", "permission"),
            e("perm", "permission"), e("rl", "role"), e("auth", "author"), e("pub", "published"),
            e("publ", "published"), e("pg", "page"), e("ver", "version"), e("vers", "version"),
            e("rev", "revision"), e("sz", "size"), e("dur", "duration"), e("freq", "frequency"),
            e("cap", "capacity"), e("avail", "available"), e("stk", "stock"), e("inventory", "stock"),
            e("lic", "license"), e("licence", "license"), e("mfr", "manufacturer"), e("mfg", "manufacturer"),
            e("brnd", "brand"), e("clr", "color"), e("colour", "color"), e("pri", "priority"),
            e("prio", "priority"), e("sev", "severity"), e("resp", "response"), e("req", "request"),
            e("recv", "received"), e("rcvd", "received"), e("sent", "sent"), e("snd", "sent"),
            e("bday", "birth", "date"), e("gndr", "gender"), e("sex", "gender"), e("nat", "nationality"),
            e("lang", "language"), e("tz", "timezone"), e("cty", "city"), e("twn", "city"), e("town", "city"),
            e("str", "street"), e("bldg", "building"), e("apt", "apartment"),
            e("flr", "floor"), e("rm", "room"), e("fax", "fax"), e("cell", "phone"),
            e("sal", "salary"), e("wage", "salary"), e("hire", "hired"), e("hiredate", "hired", "time"),
            e("term", "terminated"), e("mngr", "manager"));

    /** Words of a table's name that say what kind of object it is, not what it holds. */
    private static final Set<String> TABLE_PREFIXES = Set.of("tbl", "tb", "t", "tab", "table", "vw", "v", "dim",
            "fact", "fct", "stg", "src", "raw", "ods", "dwh", "app", "legacy", "old", "new", "ref", "lkp", "lookup",
            "mst", "master", "trn", "tx", "data", "dat");

    private static Map.Entry<String, List<String>> e(String abbreviation, String... words) {
        return Map.entry(abbreviation, List.of(words));
    }

    /** The words of a name as written: split at underscores, other punctuation, case changes and digits. */
    static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char previous = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean boundary = !Character.isLetterOrDigit(c)
                    || Character.isUpperCase(c) && Character.isLowerCase(previous)
                    || Character.isUpperCase(c) && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))
                            && Character.isUpperCase(previous)
                    || Character.isDigit(c) != Character.isDigit(previous) && previous != 0
                            && Character.isLetterOrDigit(previous);
            if (boundary && word.length() > 0) {
                out.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
            }
            previous = c;
        }
        if (word.length() > 0) {
            out.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The words a name stands for: abbreviations written out, each in the singular. */
    static List<String> meaning(String name) {
        List<String> written = words(name);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            String w = written.get(i);
            // "e_mail", "e mail": one word split in two
            if (i + 1 < written.size() && w.length() == 1 && !Character.isDigit(w.charAt(0))) {
                String joined = w + written.get(i + 1);
                if (WORDS.containsKey(joined) || joined.equals("email")) {
                    w = joined;
                    i++;
                }
            }
            List<String> expanded = WORDS.get(w);
            if (expanded == null) {
                expanded = WORDS.get(singular(w));
            }
            for (String x : expanded == null ? List.of(singular(w)) : expanded) {
                // a word of an expansion is itself read as recon reads words ("dob" is "birth date", and "date" a time)
                List<String> again = expanded == null ? null : WORDS.get(x);
                out.add(singular(again != null && again.size() == 1 ? again.get(0) : x));
            }
        }
        return out;
    }

    /** A table's name as its meaning, without the words that only say it is a table ({@code tbl_}, {@code t_}). */
    static List<String> tableMeaning(String name) {
        List<String> written = words(name);
        List<String> kept = new ArrayList<>(written);
        while (kept.size() > 1 && TABLE_PREFIXES.contains(kept.get(0))) {
            kept.remove(0);
        }
        while (kept.size() > 1 && Set.of("tbl", "tab", "table", "t", "v", "vw", "view", "bak", "copy")
                .contains(kept.get(kept.size() - 1))) {
            kept.remove(kept.size() - 1);
        }
        return meaning(String.join("_", kept));
    }

    /** The singular of an English noun, as names use them ({@code categories}, {@code addresses}, {@code items}). */
    static String singular(String w) {
        if (w.length() <= 3 || w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")) {
            return w;
        }
        if (w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.endsWith("sses") || w.endsWith("xes") || w.endsWith("ches") || w.endsWith("shes")
                || w.endsWith("uses") || w.endsWith("zes")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.endsWith("s")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    /** The name squashed to its letters and digits, in lower case ({@code E_Mail} is {@code email}). */
    static String squashed(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /**
     * How alike two names are: 1 when equal, 0.97 equal but for case and punctuation, 0.93 when
     * they mean the same words in any order, else how many of their words match (a word
     * matches another fully when equal, partly when one abbreviates the other or they are
     * spelt alike), at most 0.88.
     */
    static double similarity(String a, String b, List<String> meaningA, List<String> meaningB) {
        if (a.equals(b)) {
            return 1.0;
        }
        String squashedA = squashed(a);
        if (!squashedA.isEmpty() && squashedA.equals(squashed(b))) {
            return 0.97;
        }
        return similarity(meaningA, meaningB);
    }

    /** Meanings compared so far (a pure function's results; cleared when large): schemas repeat their names. */
    private static final Map<String, Double> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

    /** How alike two names' meanings are (0.93 for the same words in any order, else at most 0.88). */
    static double similarity(List<String> a, List<String> b) {
        String key = String.join(" ", a) + "|" + String.join(" ", b);
        Double known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        if (KNOWN.size() > 200_000) {
            KNOWN.clear();
        }
        double computed = compute(a, b);
        KNOWN.put(key, computed);
        return computed;
    }

    private static double compute(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        if (sorted(a).equals(sorted(b))) {
            return 0.93;
        }
        if (String.join("", a).equals(String.join("", b))) {
            return 0.92;
        }
        double[] sum = new double[2];
        matched(a, b, sum);
        matched(b, a, sum);
        return 0.88 * sum[0] / sum[1];
    }

    /** Adds to {@code sum} how well each word of {@code words} matches one of {@code others}, and its weight. */
    private static void matched(List<String> words, List<String> others, double[] sum) {
        for (String x : words) {
            double weight = WEAK.contains(x) ? 0.3 : 1.0;
            sum[0] += weight * best(x, others);
            sum[1] += weight;
        }
    }

    /** Words that say little of what a column holds ({@code last_}, {@code _flag}): they count less. */
    private static final Set<String> WEAK = Set.of("last", "flag");

    private static List<String> sorted(List<String> words) {
        return words.stream().sorted().toList();
    }

    private static double best(String word, List<String> others) {
        double best = 0;
        for (String o : others) {
            best = Math.max(best, wordSimilarity(word, o));
        }
        return best;
    }

    /** 1 for equal words, 0.8 when one begins the other, 0.65 when one abbreviates the other, else by spelling. */
    static double wordSimilarity(String x, String y) {
        if (x.equals(y)) {
            return 1;
        }
        String shorter = x.length() <= y.length() ? x : y;
        String longer = shorter == x ? y : x;
        if (shorter.length() >= 3 && longer.startsWith(shorter)) {
            return 0.8;
        }
        if (shorter.length() >= 2 && shorter.charAt(0) == longer.charAt(0) && isSubsequence(shorter, longer)
                && shorter.length() * 3 >= longer.length()) {
            return 0.65;
        }
        if (shorter.length() >= 4) {
            double ratio = 1.0 - (double) levenshtein(x, y) / longer.length();
            if (ratio >= 0.75) {
                return 0.85 * ratio;
            }
        }
        return 0;
    }

    private static boolean isSubsequence(String shorter, String longer) {
        int i = 0;
        for (int j = 0; j < longer.length() && i < shorter.length(); j++) {
            if (shorter.charAt(i) == longer.charAt(j)) {
                i++;
            }
        }
        return i == shorter.length();
    }

    private static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
