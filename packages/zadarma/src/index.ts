export * from './form-decode.js';
export * from './php-query.js';
export * from './signing.js';
export * from './webhook-signature.js';
