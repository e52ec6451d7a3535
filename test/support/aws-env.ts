// The environment the real AWS CLI and boto3 run in, in tests: credentials from nowhere but here
// (no ~/.aws, no instance metadata), access key `wasmlet` with the host's token, one attempt per call.
import { join } from 'node:path';

export function awsClientEnv(workDir: string, token: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: workDir,
    AWS_ACCESS_KEY_ID: 'wasmlet',
    AWS_SECRET_ACCESS_KEY: token,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(workDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
}
