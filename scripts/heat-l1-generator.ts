export function generateHeatL1(_o: { schemaFile: string; outFile: string }): void {}
