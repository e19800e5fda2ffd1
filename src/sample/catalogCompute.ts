/** EC2, Lambda, ECS and ECR operations as they appear in CloudTrail. */
import { iso } from './build';
import type { Catalog, OpCtx } from './catalogTypes';

const items = <T>(list: T[]) => ({ items: list });

function instance(c: OpCtx): string {
  return c.env.rng.pick(c.env.inv.instances);
}

function fn(c: OpCtx): string {
  return c.env.rng.pick(c.env.inv.functions);
}

function fnArn(c: OpCtx, name: string): string {
  return `arn:aws:lambda:${c.env.region}:${c.env.accountId}:function:${name}`;
}

function repoArn(c: OpCtx, repo: string): string {
  return `arn:aws:ecr:${c.env.region}:${c.env.accountId}:repository/${repo}`;
}

function repoCall(c: OpCtx, extra: Record<string, unknown> = {}) {
  const repo = c.env.rng.pick(c.env.inv.repos);
  return {
    req: { repositoryName: repo, registryId: c.env.accountId, ...extra },
    resources: [{ accountId: c.env.accountId, ARN: repoArn(c, repo) }],
  };
}

function clusterArn(c: OpCtx): string {
  return `arn:aws:ecs:${c.env.region}:${c.env.accountId}:cluster/${c.env.inv.cluster}`;
}

function stateChange(c: OpCtx, from: [number, string], to: [number, string]) {
  const id = instance(c);
  return {
    req: { instancesSet: items([{ instanceId: id }]) },
    res: {
      requestId: c.requestID,
      instancesSet: items([
        { instanceId: id, currentState: { code: to[0], name: to[1] }, previousState: { code: from[0], name: from[1] } },
      ]),
    },
  };
}

export const COMPUTE: Catalog = {
  'ec2:DescribeInstances': {
    ro: true,
    make: (c) => ({
      req: c.env.rng.chance(0.3)
        ? { instancesSet: items([{ instanceId: instance(c) }]), filterSet: {} }
        : { instancesSet: {}, filterSet: {} },
    }),
  },
  'ec2:DescribeInstanceStatus': { ro: true, make: () => ({ req: { instancesSet: {}, filterSet: {}, includeAllInstances: false } }) },
  'ec2:DescribeVolumes': { ro: true, make: () => ({ req: { volumeSet: {}, filterSet: {} } }) },
  'ec2:DescribeSecurityGroups': { ro: true, make: () => ({ req: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } }) },
  'ec2:DescribeSubnets': { ro: true, make: () => ({ req: { subnetSet: {}, filterSet: {} } }) },
  'ec2:DescribeVpcs': { ro: true, make: () => ({ req: { vpcSet: {}, filterSet: {} } }) },
  'ec2:DescribeNetworkInterfaces': { ro: true, make: () => ({ req: { networkInterfaceIdSet: {}, filterSet: {} } }) },
  'ec2:DescribeAddresses': { ro: true, make: () => ({ req: { publicIpsSet: {}, allocationIdsSet: {}, filterSet: {} } }) },
  'ec2:DescribeRouteTables': { ro: true, make: () => ({ req: { routeTableIdSet: {}, filterSet: {} } }) },
  'ec2:DescribeSnapshots': {
    ro: true,
    make: () => ({ req: { snapshotSet: {}, ownersSet: items([{ owner: 'self' }]), sharedUsersSet: {}, filterSet: {} } }),
  },
  'ec2:DescribeImages': {
    ro: true,
    make: () => ({ req: { executableBySet: {}, imagesSet: {}, ownersSet: items([{ owner: 'self' }]), filterSet: {} } }),
  },
  'ec2:DescribeAvailabilityZones': { ro: true, make: () => ({ req: { availabilityZoneSet: {}, availabilityZoneIdSet: {} } }) },
  'ec2:DescribeRegions': { ro: true, make: () => ({ req: { regionSet: {} } }) },
  'ec2:DescribeTags': {
    ro: true,
    make: (c) => ({ req: { filterSet: items([{ name: 'resource-id', valueSet: items([{ value: instance(c) }]) }]) } }),
  },
  'ec2:StartInstances': { ro: false, make: (c) => stateChange(c, [80, 'stopped'], [0, 'pending']) },
  'ec2:StopInstances': {
    ro: false,
    make: (c) => {
      const s = stateChange(c, [16, 'running'], [64, 'stopping']);
      return { ...s, req: { ...s.req, force: false } };
    },
  },
  'ec2:CreateTags': {
    ro: false,
    make: (c) => ({
      req: { resourcesSet: items([{ resourceId: instance(c) }]), tagSet: items([{ key: 'Owner', value: 'orders-team' }]) },
      res: { requestId: c.requestID, _return: true },
    }),
  },
  'ec2:AuthorizeSecurityGroupIngress': {
    ro: false,
    make: (c) => {
      const groupId = c.env.rng.pick(c.env.inv.securityGroups);
      const cidr = '203.0.113.0/24';
      return {
        req: {
          groupId,
          ipPermissions: items([
            {
              ipProtocol: 'tcp',
              fromPort: 443,
              toPort: 443,
              groups: {},
              ipRanges: items([{ cidrIp: cidr, description: 'office' }]),
              ipv6Ranges: {},
              prefixListIds: {},
            },
          ]),
        },
        res: {
          requestId: c.requestID,
          _return: true,
          securityGroupRuleSet: items([
            {
              groupOwnerId: c.env.accountId,
              groupId,
              securityGroupRuleId: `sgr-0${c.env.rng.hex(16)}`,
              isEgress: false,
              ipProtocol: 'tcp',
              fromPort: 443,
              toPort: 443,
              cidrIpv4: cidr,
              description: 'office',
            },
          ]),
        },
      };
    },
  },
  'ec2:CreateSnapshot': {
    ro: false,
    make: (c) => {
      const volumeId = c.env.rng.pick(c.env.inv.volumes);
      return {
        req: { volumeId, description: 'This snapshot is created by the AWS Backup service.' },
        res: {
          requestId: c.requestID,
          snapshotId: `snap-0${c.env.rng.hex(16)}`,
          volumeId,
          status: 'pending',
          startTime: c.t,
          progress: '',
          ownerId: c.env.accountId,
          volumeSize: 30,
          encrypted: true,
        },
      };
    },
  },

  'lambda:ListFunctions20150331': { ro: true },
  'lambda:GetFunction20150331v2': {
    ro: true,
    make: (c) => ({ req: { functionName: fn(c) } }),
    miss: [0.01, 'ResourceNotFoundException', (c) => `Function not found: ${fnArn(c, 'orders-api-handler-v1')}`],
  },
  'lambda:GetFunctionConfiguration20150331v2': { ro: true, make: (c) => ({ req: { functionName: fn(c) } }) },
  'lambda:ListTags20170331': { ro: true, make: (c) => ({ req: { resource: fnArn(c, fn(c)) } }) },
  'lambda:ListEventSourceMappings20150331': { ro: true, make: (c) => ({ req: { functionName: fn(c) } }) },
  'lambda:ListVersionsByFunction20150331': { ro: true, make: (c) => ({ req: { functionName: fn(c) } }) },
  'lambda:GetPolicy20150331v2': {
    ro: true,
    make: (c) => ({ req: { functionName: fn(c) } }),
    miss: [0.6, 'ResourceNotFoundException', 'The resource you requested does not exist.'],
  },
  'lambda:UpdateFunctionCode20150331v2': {
    ro: false,
    target: (c) => fnArn(c, c.env.inv.functions[0]),
    make: (c) => {
      const name = fn(c);
      return {
        req: {
          functionName: name,
          publish: false,
          dryRun: false,
          s3Bucket: c.env.inv.buckets[0],
          s3Key: `lambda/${name}/${c.env.rng.hex(32)}.zip`,
        },
        res: {
          functionName: name,
          functionArn: fnArn(c, name),
          runtime: 'nodejs20.x',
          role: c.env.inv.lambdaRoles[name]?.arn,
          handler: 'index.handler',
          codeSize: c.env.rng.int(40_000, 4_000_000),
          description: '',
          timeout: 30,
          memorySize: 512,
          lastModified: iso(c.t).replace('Z', '.000+0000'),
          codeSha256: `${c.env.rng.base64(43)}=`,
          version: '$LATEST',
          tracingConfig: { mode: 'PassThrough' },
          revisionId: c.env.rng.uuid(),
          state: 'Active',
          lastUpdateStatus: 'InProgress',
          lastUpdateStatusReason: 'The function is being created.',
          lastUpdateStatusReasonCode: 'Creating',
          packageType: 'Zip',
          architectures: ['arm64'],
          ephemeralStorage: { size: 512 },
          loggingConfig: { logFormat: 'Text', logGroup: `/aws/lambda/${name}` },
        },
      };
    },
  },
  'lambda:UpdateFunctionConfiguration20150331v2': {
    ro: false,
    make: (c) => {
      const name = fn(c);
      return {
        req: { functionName: name, timeout: 30, environment: { variables: 'HIDDEN_DUE_TO_SECURITY_REASONS' } },
        res: {
          functionName: name,
          functionArn: fnArn(c, name),
          runtime: 'nodejs20.x',
          timeout: 30,
          memorySize: 512,
          environment: { variables: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
          revisionId: c.env.rng.uuid(),
          state: 'Active',
          lastUpdateStatus: 'InProgress',
        },
      };
    },
  },

  'ecs:ListClusters': { ro: true },
  'ecs:DescribeClusters': { ro: true, make: (c) => ({ req: { clusters: [c.env.inv.cluster], include: ['SETTINGS'] } }) },
  'ecs:ListServices': { ro: true, make: (c) => ({ req: { cluster: c.env.inv.cluster } }) },
  'ecs:DescribeServices': { ro: true, make: (c) => ({ req: { cluster: clusterArn(c), services: c.env.inv.ecsServices } }) },
  'ecs:ListTasks': { ro: true, make: (c) => ({ req: { cluster: c.env.inv.cluster, serviceName: c.env.rng.pick(c.env.inv.ecsServices) } }) },
  'ecs:DescribeTasks': {
    ro: true,
    make: (c) => ({
      req: {
        cluster: c.env.inv.cluster,
        tasks: [`arn:aws:ecs:${c.env.region}:${c.env.accountId}:task/${c.env.inv.cluster}/${c.env.rng.hex(32)}`],
      },
    }),
  },
  'ecs:DescribeTaskDefinition': { ro: true, make: (c) => ({ req: { taskDefinition: `orders-api:${c.env.rng.int(40, 47)}` } }) },
  'ecs:UpdateService': {
    ro: false,
    make: (c) => {
      const service = c.env.rng.pick(c.env.inv.ecsServices);
      const taskDefinition = `arn:aws:ecs:${c.env.region}:${c.env.accountId}:task-definition/${service}:${c.env.rng.int(40, 47)}`;
      return {
        req: { cluster: c.env.inv.cluster, service, taskDefinition, forceNewDeployment: false },
        res: {
          service: {
            serviceArn: `arn:aws:ecs:${c.env.region}:${c.env.accountId}:service/${c.env.inv.cluster}/${service}`,
            serviceName: service,
            clusterArn: clusterArn(c),
            status: 'ACTIVE',
            desiredCount: 2,
            runningCount: 2,
            launchType: 'FARGATE',
            taskDefinition,
            deployments: [
              {
                id: `ecs-svc/${c.env.rng.int(1e18, 9e18)}`,
                status: 'PRIMARY',
                taskDefinition,
                desiredCount: 0,
                rolloutState: 'IN_PROGRESS',
              },
            ],
          },
        },
      };
    },
  },

  'ecr:GetAuthorizationToken': { ro: true },
  'ecr:DescribeRepositories': { ro: true },
  'ecr:DescribeImages': { ro: true, make: (c) => repoCall(c) },
  'ecr:ListImages': { ro: true, make: (c) => repoCall(c, { filter: { tagStatus: 'TAGGED' } }) },
  'ecr:DescribeImageScanFindings': { ro: true, make: (c) => repoCall(c, { imageId: { imageTag: 'latest' } }) },
  'ecr:BatchGetImage': {
    ro: true,
    make: (c) =>
      repoCall(c, {
        imageIds: [{ imageTag: 'latest' }],
        acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'],
      }),
  },
  'ecr:GetDownloadUrlForLayer': { ro: true, make: (c) => repoCall(c, { layerDigest: `sha256:${c.env.rng.hex(64)}` }) },
  'ecr:BatchCheckLayerAvailability': { ro: true, make: (c) => repoCall(c, { layerDigests: [`sha256:${c.env.rng.hex(64)}`] }) },
  'ecr:InitiateLayerUpload': { ro: false, make: (c) => ({ ...repoCall(c), res: { uploadId: c.env.rng.uuid(), partSize: 10485760 } }) },
  'ecr:PutImage': {
    ro: false,
    make: (c) => {
      const imageTag = `git-${c.env.rng.hex(7)}`;
      const r = repoCall(c, { imageTag, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' });
      return {
        ...r,
        res: {
          image: {
            registryId: c.env.accountId,
            repositoryName: r.req.repositoryName,
            imageId: { imageDigest: `sha256:${c.env.rng.hex(64)}`, imageTag },
          },
        },
      };
    },
  },
};
