// Outbound connections where there is no /proc (Windows, macOS), through
// systeminformation.networkConnections() (netstat / lsof underneath).
import { systemInformation, type Systeminformation } from '../systeminformation';
import { type ConnectionSnapshot, type ConnectionSource, isOutbound } from './connection-source';

export type NetworkConnectionsProvider = () => Promise<Systeminformation.NetworkConnectionsData[]>;

export class SystemInformationConnectionSource implements ConnectionSource {
  readonly name = 'systeminformation';

  constructor(
    private readonly provider: NetworkConnectionsProvider = async () =>
      (await systemInformation()).networkConnections(),
    private readonly udp = false,
  ) {}

  async snapshot(): Promise<ConnectionSnapshot> {
    const list = await this.provider();
    const listening = new Set(list.filter((c) => c.state === 'LISTEN').map((c) => Number(c.localPort)));
    const connections = list
      .filter((c) => {
        const tcp = c.protocol.startsWith('tcp') && (c.state === 'ESTABLISHED' || c.state === 'SYN_SENT');
        const udp = this.udp && c.protocol.startsWith('udp') && Number(c.peerPort) > 0;
        return (
          (tcp || udp) &&
          !['', '*', '0.0.0.0', '::', '[::]'].includes(c.peerAddress) &&
          isOutbound(Number(c.localPort), listening)
        );
      })
      .map((c) => ({
        key: `${c.protocol}|${c.localAddress}|${c.localPort}|${c.peerAddress}|${c.peerPort}|${c.pid}`,
        protocol: c.protocol.startsWith('udp') ? ('udp' as const) : ('tcp' as const),
        remoteAddress: c.peerAddress.replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1'),
        remotePort: Number(c.peerPort) || 0,
        pid: c.pid ?? 0,
        process: c.process ?? '',
        user: '',
      }));
    return { connections, parseErrors: [] };
  }
}
