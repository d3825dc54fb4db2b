export {
  scanEndpoints,
  endpointOfUrl,
  ENDPOINTS_SOURCE,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  type EndpointScanOptions,
} from './scan-endpoints';
export { fetchPeerChain, parseHostPort, type HostPort } from './peer-chain';
