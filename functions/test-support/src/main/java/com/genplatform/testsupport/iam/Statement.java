package com.genplatform.testsupport.iam;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One IAM policy statement: Allow or Deny of actions on resources, with IAM's wildcards ({@code *} any run
 * of characters, {@code ?} one character; actions compared case-insensitively, resources exactly).
 *
 * @param source where it comes from, for messages and coverage: e.g. {@code ApiFunction: inline statement 2}
 */
public record Statement(String source, boolean allow, List<String> actions, List<String> resources) {

    public boolean covers(String action, String resource) {
        return actions.stream().anyMatch(a -> wildcard(a.toLowerCase(Locale.ROOT)).matcher(action.toLowerCase(Locale.ROOT)).matches())
                && resources.stream().anyMatch(r -> wildcard(r).matcher(resource).matches());
    }

    private static Pattern wildcard(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("(?<=[*?])|(?=[*?])")) {
            regex.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(part);
            });
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
