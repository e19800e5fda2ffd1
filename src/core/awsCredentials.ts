/**
 * The credential provider of a connection (aws.ts connect): the chosen profile's (SSO, process,
 * ini with role_arn / source_profile), else the SDK's default chain — over the env object connect()
 * was given, so tests and the sample account never read process.env by accident.
 */
import { fromEnv, fromIni, fromNodeProviderChain, fromProcess, fromSSO, fromTokenFile } from '@aws-sdk/credential-providers';
import { CredentialsProviderError } from '@smithy/core/config';
import type { AwsCredentialIdentityProvider, Logger as SdkLogger } from '@smithy/types';
import { configuredEndpoint, profileKind, type SharedFiles } from './awsProfiles';

type Provider = AwsCredentialIdentityProvider;

export interface ChainInput {
  env: NodeJS.ProcessEnv;
  profile: string | undefined;
  files: SharedFiles;
  sdkLogger: SdkLogger;
}

/** The credential provider for the connection: the profile's, else the default chain's order over `env`. */
export function credentialChain(input: ChainInput): Provider {
  const { env, profile, files, sdkLogger } = input;
  const base = { filepath: files.paths.credentials, configFilepath: files.paths.config, ignoreCache: true, logger: sdkLogger };
  const profileData = (name: string) => files.profiles.get(name);
  const endpointConfig = (serviceId: string, name: string | undefined) => {
    const url = configuredEndpoint(serviceId, env, name ? profileData(name) : undefined, files.config);
    return url ? { endpoint: url } : { ignoreConfiguredEndpointUrls: true };
  };

  const forProfile = (name: string): Provider => {
    const kind = profileKind(profileData(name) ?? {});
    const init = { ...base, profile: name };
    let p: Provider;
    // fromIni would drop filepath/configFilepath when it hands an SSO profile to fromSSO: call it directly.
    if (kind === 'sso') p = fromSSO({ ...init, clientConfig: endpointConfig('SSO', name) });
    else if (kind === 'process') p = fromProcess(init);
    else p = fromIni({ ...init, clientConfig: endpointConfig('STS', name) });
    return p;
  };

  if (profile) return forProfile(profile);

  if (env === process.env) {
    // The SDK's own default chain: env keys, SSO/ini/process/web identity for [default], container, IMDS.
    return fromNodeProviderChain({ ...base, clientConfig: endpointConfig('STS', files.profiles.has('default') ? 'default' : undefined) });
  }

  // A custom env: the same order, reading the env object instead of process.env.
  const links: Provider[] = [envObjectProvider(env)];
  if (files.profiles.has('default')) links.push(forProfile('default'));
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    links.push(
      fromTokenFile({
        webIdentityTokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE,
        roleArn: env.AWS_ROLE_ARN,
        ...(env.AWS_ROLE_SESSION_NAME ? { roleSessionName: env.AWS_ROLE_SESSION_NAME } : {}),
        clientConfig: endpointConfig('STS', undefined),
        logger: sdkLogger,
      }),
    );
  }
  const provider: Provider = async (props) => {
    for (const link of links) {
      try {
        return await link(props);
      } catch (err) {
        if ((err as { tryNextLink?: boolean }).tryNextLink) continue;
        throw err;
      }
    }
    throw new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false, logger: sdkLogger });
  };
  return provider;
}

/** fromEnv, but over the env object given to connect() rather than process.env. */
function envObjectProvider(env: NodeJS.ProcessEnv): Provider {
  if (env === process.env) return fromEnv();
  return async () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsProviderError('Unable to find environment variable credentials.', { tryNextLink: true });
    }
    return {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
      ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
    };
  };
}
