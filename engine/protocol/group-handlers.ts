/**
 * The group coordinator's APIs on a broker's listener: each request is decoded (group-apis.ts),
 * sent to the broker's own coordinator through the shown cluster's network — the same coordinator
 * the in-app consumers and the simulated service replicas talk to, so a real client joins the same
 * groups — and the coordinator's answer encoded at the request's version.
 *
 * FindCoordinator answers the coordinator's address on this listener (its advertised host and
 * port); a coordinator whose broker has no listener, or a transaction coordinator (the workbench
 * has none), is COORDINATOR_NOT_AVAILABLE, as Kafka answers both.
 */
import type { Answer, ConsumerNetwork } from '../clients/consumer/consumer-network.js';
import type { GroupRequest, GroupResponseFor } from '../groups/group-messages.js';
import type { RequestHeader } from './connection.js';
import {
  COORDINATOR_KEY_TYPES,
  GROUP_API_KEYS,
  readDeleteGroupsRequest,
  readDescribeGroupsRequest,
  readFindCoordinatorRequest,
  readHeartbeatRequest,
  readJoinGroupRequest,
  readLeaveGroupRequest,
  readListGroupsRequest,
  readOffsetCommitRequest,
  readOffsetFetchRequest,
  readSyncGroupRequest,
  writeDeleteGroupsResponse,
  writeDescribeGroupsResponse,
  writeFindCoordinatorResponse,
  writeHeartbeatResponse,
  writeJoinGroupResponse,
  writeLeaveGroupResponse,
  writeListGroupsResponse,
  writeOffsetCommitResponse,
  writeOffsetFetchResponse,
  writeSyncGroupResponse,
} from './group-apis.js';
import type { AdvertisedBroker } from './metadata.js';
import type { WireReader } from './wire.js';

/** Who sent a request, as the coordinator records a member (client.id and "/address"). */
export interface WireClient {
  readonly clientId: string;
  readonly clientHost: string;
  /** The request's JoinGroup version: before v4 a new member gets its id without MEMBER_ID_REQUIRED (KIP-394). */
  readonly joinGroupVersion?: number;
}

export interface GroupHandlerContext {
  readonly consumer: () => ConsumerNetwork;
  readonly advertised: () => readonly AdvertisedBroker[];
  /** Runs the engine work the request scheduled now. */
  readonly kick: () => void;
}

export type GroupHandler = (header: RequestHeader, body: WireReader, brokerId: number, client: WireClient) => Promise<Uint8Array>;

/** One handler per group API key. */
export function groupHandlers(context: GroupHandlerContext): Map<number, GroupHandler> {
  const ask = <R extends GroupRequest>(brokerId: number, request: R, client: WireClient): Promise<GroupResponseFor[R['api']]> =>
    new Promise((resolve, reject) => {
      context.consumer().group(
        brokerId,
        request,
        (answer: Answer<GroupResponseFor[R['api']]>) => (answer.kind === 'response' ? resolve(answer.response) : reject(new Error('the broker went away before answering'))),
        client,
      );
      context.kick();
    });
  return new Map<number, GroupHandler>([
    [GROUP_API_KEYS.findCoordinator, async (header, body, brokerId, client) => {
      const { request, keyType } = readFindCoordinatorRequest(body, header.apiVersion);
      if (keyType !== COORDINATOR_KEY_TYPES.group) {
        const error = keyType === COORDINATOR_KEY_TYPES.transaction ? 'COORDINATOR_NOT_AVAILABLE' : 'INVALID_REQUEST';
        return writeFindCoordinatorResponse(header.apiVersion, { error, nodeId: -1 }, null);
      }
      const response = await ask(brokerId, request, client);
      const address = context.advertised().find((b) => b.id === response.nodeId) ?? null;
      return writeFindCoordinatorResponse(header.apiVersion, response, address);
    }],
    [GROUP_API_KEYS.joinGroup, async (header, body, brokerId, client) =>
      writeJoinGroupResponse(header.apiVersion, await ask(brokerId, readJoinGroupRequest(body, header.apiVersion), { ...client, joinGroupVersion: header.apiVersion }))],
    [GROUP_API_KEYS.syncGroup, async (header, body, brokerId, client) => writeSyncGroupResponse(header.apiVersion, await ask(brokerId, readSyncGroupRequest(body, header.apiVersion), client))],
    [GROUP_API_KEYS.heartbeat, async (header, body, brokerId, client) => writeHeartbeatResponse(header.apiVersion, await ask(brokerId, readHeartbeatRequest(body, header.apiVersion), client))],
    [GROUP_API_KEYS.leaveGroup, async (header, body, brokerId, client) => writeLeaveGroupResponse(header.apiVersion, await ask(brokerId, readLeaveGroupRequest(body, header.apiVersion), client))],
    [GROUP_API_KEYS.offsetCommit, async (header, body, brokerId, client) => writeOffsetCommitResponse(header.apiVersion, await ask(brokerId, readOffsetCommitRequest(body, header.apiVersion), client))],
    [GROUP_API_KEYS.offsetFetch, async (header, body, brokerId, client) => {
      const request = readOffsetFetchRequest(body, header.apiVersion);
      return writeOffsetFetchResponse(header.apiVersion, await ask(brokerId, request, client), request.topics);
    }],
    [GROUP_API_KEYS.describeGroups, async (header, body, brokerId, client) => {
      const { request, includeAuthorizedOperations } = readDescribeGroupsRequest(body, header.apiVersion);
      return writeDescribeGroupsResponse(header.apiVersion, await ask(brokerId, request, client), includeAuthorizedOperations);
    }],
    [GROUP_API_KEYS.listGroups, async (header, _body, brokerId, client) => writeListGroupsResponse(header.apiVersion, await ask(brokerId, readListGroupsRequest(), client))],
    [GROUP_API_KEYS.deleteGroups, async (_header, body, brokerId, client) => writeDeleteGroupsResponse(await ask(brokerId, readDeleteGroupsRequest(body), client))],
  ]);
}
