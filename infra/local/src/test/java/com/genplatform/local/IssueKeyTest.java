package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** infra/issue-key: help, bad flags and no AWS each answer in a line or two, never a stack trace. */
class IssueKeyTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return IssueKey.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void helpIsASuccess() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().startsWith("Usage: infra/issue-key"));
    }

    @Test
    void unknownFlagsAndMissingValuesAreRefused() {
        assertEquals(2, run("--table", "t", "--user", "alice", "--region", "eu-west-1"));
        assertTrue(err.toString().startsWith("infra/issue-key: unknown option --region"), err.toString());
        err.reset();
        assertEquals(2, run("--table"));
        assertTrue(err.toString().startsWith("infra/issue-key: --table needs a value"), err.toString());
        err.reset();
        assertEquals(2, run("--table", "t", "--user", "al ice"));
        assertTrue(err.toString().contains("--user takes letters"), err.toString());
    }

    @Test
    void noReachableAwsIsOneLine() {
        // No credentials and a closed endpoint: what a machine without AWS set up meets.
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
        System.setProperty("aws.accessKeyId", "none");
        System.setProperty("aws.secretAccessKey", "none");
        try {
            assertEquals(1, run("--table", "ApiKeysTable", "--user", "alice"));
            String message = err.toString();
            assertTrue(message.startsWith("infra/issue-key: cannot reach AWS"), message);
            assertEquals(1, message.strip().lines().count(), message);
        } finally {
            for (String p : new String[] {"aws.region", "aws.endpointUrl", "aws.accessKeyId", "aws.secretAccessKey"}) System.clearProperty(p);
        }
    }
}
