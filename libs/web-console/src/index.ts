/** Serves the built console (apps/web/dist) from a Fastify instance. */
export * from './register-web-console';
