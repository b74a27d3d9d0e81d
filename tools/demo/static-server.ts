/** The demo serves its index and assets with the site's loopback static server (client/site/static-server.ts). */
export { filePathFor, serveDirectory, type StaticServer } from '../../client/site/static-server.js';
