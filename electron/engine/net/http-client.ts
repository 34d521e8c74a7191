import https from 'node:https';
import axios, { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import type { HttpClientFactory, HttpClientOptions } from '../ports';
import { DryRunBlockedError } from './errors';
import { pinnedAgent } from './tls-pin';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * Marks a non-GET request that changes nothing on the other side (SAP Login, a $batch of reads),
     * so dry run lets it through. Every other write is refused under dry run.
     */
    readOnly?: boolean;
  }
}

const READ_METHODS = new Set(['get', 'head', 'options']);

/**
 * The HTTP client factory the hosts hand to the engine: one axios instance per connector, with a timeout,
 * TLS trust by the system CAs or a pinned certificate (never verification off), and the dry-run guard.
 */
export function createHttpClientFactory(): HttpClientFactory {
  return {
    create(options: HttpClientOptions): AxiosInstance {
      const client = axios.create({
        baseURL: options.baseURL,
        timeout: options.timeoutMs,
        httpsAgent: options.pinnedCertificate ? pinnedAgent(options.pinnedCertificate) : new https.Agent({ keepAlive: true }),
        // Connectors read statuses themselves: the other system's error body is what the operator needs to see.
        validateStatus: () => true,
        maxRedirects: 0,
      });
      client.interceptors.request.use((config: InternalAxiosRequestConfig) => {
        const method = (config.method ?? 'get').toLowerCase();
        if (options.isDryRun() && !READ_METHODS.has(method) && !config.readOnly) {
          throw new DryRunBlockedError(options.system, method.toUpperCase(), `${config.baseURL ?? ''}${config.url ?? ''}`, config.data);
        }
        return config;
      });
      return client;
    },
  };
}
