package com.genplatform.local;

import com.genplatform.aws.DynamoApiKeyStore;
import java.io.PrintStream;
import java.time.Clock;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * {@code infra/issue-key --table <ApiKeysTableName> --user <user-id>}: issues an API key for a deployed
 * stack (the table name is the stack output ApiKeysTableName), with the caller's own AWS credentials and
 * region. Prints the key once; only its SHA-256 is stored. Every failure is one line saying what to do.
 */
public final class IssueKey {
    static final String USAGE = """
            Usage: infra/issue-key --table <ApiKeysTableName> --user <user-id>
              --table NAME   the stack's ApiKeysTableName output (aws cloudformation describe-stacks)
              --user ID      the user the key belongs to: letters, digits, _ and -, up to 64
            Uses your AWS credentials and region (AWS_PROFILE, AWS_REGION, ...). For the local stack,
            infra/run-local --users alice,bob issues keys itself.
            """;

    private IssueKey() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String table = null;
        String user = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--table", "--user" -> {
                    if (i + 1 >= args.length) return usage(err, args[i] + " needs a value");
                    if (args[i].equals("--table")) table = args[++i]; else user = args[++i];
                }
                default -> {
                    return usage(err, "unknown option " + args[i]);
                }
            }
        }
        if (table == null || user == null) return usage(err, "both --table and --user are needed");
        if (!user.matches("[A-Za-z0-9_-]{1,64}")) return usage(err, "--user takes letters, digits, _ and - (up to 64), got " + user);
        try (var dynamoDb = DynamoDbClient.create()) {
            out.println(new DynamoApiKeyStore(dynamoDb, table, Clock.systemUTC()).issue(user));
            return 0;
        } catch (ResourceNotFoundException e) {
            err.println("infra/issue-key: no table " + table + " in this account and region; use the stack's ApiKeysTableName output");
        } catch (DynamoDbException e) {
            err.println("infra/issue-key: AWS refused: " + e.awsErrorDetails().errorMessage());
        } catch (SdkClientException e) {
            err.println("infra/issue-key: cannot reach AWS (" + firstLine(e.getMessage())
                    + "); set AWS_PROFILE or AWS credentials and AWS_REGION for the account of your stack");
        }
        return 1;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("infra/issue-key: " + problem);
        err.print(USAGE);
        return 2;
    }

    private static String firstLine(String text) {
        if (text == null) return "no detail";
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }
}
