package com.genplatform.aws;

import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/** The adapter contract on DynamoDB Local, ElasticMQ and S3Proxy, started in-process by the extension. */
@ExtendWith(LocalAwsExtension.class)
class EmulatorAdapterTest extends AdapterContractTest {
    private final LocalAws aws;

    EmulatorAdapterTest(LocalAws aws) {
        this.aws = aws;
    }

    @Override
    protected Map<String, String> environment() {
        return aws.functionEnvironment(null);
    }
}
