// The tests' workbooks are written by the app's own xlsx writer (src/lib/server/xlsx-write.ts).
export * from '../../src/lib/server/xlsx-write';
