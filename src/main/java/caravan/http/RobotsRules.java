package caravan.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The allow/disallow rules of one robots.txt that apply to one user agent; the longest matching rule wins. */
public final class RobotsRules {

    record Rule(boolean allow, String path, Pattern pattern) {
    }

    public static final RobotsRules ALLOW_ALL = new RobotsRules(List.of());
    public static final RobotsRules DISALLOW_ALL = new RobotsRules(List.of(rule(false, "/")));

    private final List<Rule> rules;

    private RobotsRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** The group naming {@code agent} (a product token, lower case), else the {@code *} group. */
    public static RobotsRules parse(String text, String agent) {
        List<Rule> mine = new ArrayList<>();
        List<Rule> star = new ArrayList<>();
        boolean inAgents = false;
        boolean forMe = false;
        boolean forStar = false;
        boolean sawMine = false;
        for (String raw : text.split("\\R")) {
            String line = raw.replaceAll("#.*", "").trim();
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("user-agent")) {
                if (!inAgents) {
                    forMe = false;
                    forStar = false;
                    inAgents = true;
                }
                String ua = value.toLowerCase(Locale.ROOT);
                if (ua.equals("*")) {
                    forStar = true;
                } else if (!ua.isEmpty() && agent.contains(ua)) {
                    forMe = true;
                    sawMine = true;
                }
            } else if (key.equals("allow") || key.equals("disallow")) {
                inAgents = false;
                if (value.isEmpty()) {
                    continue;
                }
                Rule r = rule(key.equals("allow"), value);
                if (forMe) {
                    mine.add(r);
                }
                if (forStar) {
                    star.add(r);
                }
            } else {
                inAgents = false;
            }
        }
        return new RobotsRules(sawMine ? mine : star);
    }

    private static Rule rule(boolean allow, String path) {
        boolean anchored = path.endsWith("$");
        String body = anchored ? path.substring(0, path.length() - 1) : path;
        List<String> parts = new ArrayList<>();
        for (String part : body.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return new Rule(allow, path, Pattern.compile(String.join(".*", parts) + (anchored ? "" : ".*"), Pattern.DOTALL));
    }

    public boolean allows(String pathAndQuery) {
        Rule best = null;
        for (Rule r : rules) {
            if (r.pattern().matcher(pathAndQuery).matches()) {
                if (best == null || r.path().length() > best.path().length()
                        || (r.path().length() == best.path().length() && r.allow())) {
                    best = r;
                }
            }
        }
        return best == null || best.allow();
    }
}
