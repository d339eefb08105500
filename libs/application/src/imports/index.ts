export * from './csv-rows';
export * from './import-rows';
