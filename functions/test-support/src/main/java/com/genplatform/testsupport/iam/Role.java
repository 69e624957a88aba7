package com.genplatform.testsupport.iam;

import java.util.List;
import java.util.Optional;

/**
 * A function's execution role as SAM builds it from template.yaml: every statement of its policies.
 * Evaluated as IAM evaluates identity policies: an explicit Deny wins, else an Allow is needed.
 *
 * @param sessionArn the identity AWS names in its errors ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION})
 */
public record Role(String functionId, String sessionArn, List<Statement> statements) {

    /** The statement that allows the call, or empty when the call is denied (explicitly or by default). */
    public Optional<Statement> allowing(String action, String resource) {
        boolean denied = statements.stream().anyMatch(s -> !s.allow() && s.covers(action, resource));
        if (denied) return Optional.empty();
        return statements.stream().filter(s -> s.allow() && s.covers(action, resource)).findFirst();
    }

    /** AWS's own wording for a denied call. */
    public String denial(String action, String resource) {
        boolean explicit = statements.stream().anyMatch(s -> !s.allow() && s.covers(action, resource));
        return "User: " + sessionArn + " is not authorized to perform: " + action + " on resource: " + resource
                + (explicit ? " with an explicit deny in an identity-based policy"
                        : " because no identity-based policy allows the " + action + " action");
    }
}
