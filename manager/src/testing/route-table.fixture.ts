// Every HTTP route of a booted app, read from Nest's own metadata (the controllers
// its modules hold, the path and method decorators on their handlers), each with
// the access it declares; and the route table Express actually serves, so a test
// can hold the two to each other.
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, SSE_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { routeAccessOf, type RouteAccess } from '../http/route-access';

export interface HttpRoute {
  /** `GET /api/v1/agents/:id`: what the test tables are keyed by. */
  key: string;
  method: string;
  path: string;
  handler: string;
  sse: boolean;
  access: RouteAccess;
}

export function listNestRoutes(app: INestApplication): HttpRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: HttpRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
    const instance = wrapper.instance as object | undefined;
    if (!controller || !instance) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, (...args: never[]) => unknown>;
    const bases = asList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (paths === undefined) continue; // a helper method, not a route
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const base of bases) {
        for (const path of asList(paths)) {
          const full = joinPath(base, path);
          routes.push({
            key: `${method} ${full}`,
            method,
            path: full,
            handler: `${controller.name}.${name}`,
            sse: Reflect.getMetadata(SSE_METADATA, handler) === true,
            access: routeAccessOf(reflector, handler, controller),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** `METHOD /path` for every route layer in Express's router (middleware excluded). */
export function listExpressRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const keys: string[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) keys.push(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return keys.sort();
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value : [value];
}

function joinPath(base: string, path: string): string {
  const joined = `/${base}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}
