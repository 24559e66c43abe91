// One self-contained ES module per entry point, as the Actions runner loads it: no node_modules at run time.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

const bundle = (input, file) => ({
  input,
  output: { file, format: 'es', inlineDynamicImports: true },
  plugins: [
    typescript({ tsconfig: './tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json()
  ],
  onwarn(warning, warn) {
    // Circular imports inside dependencies (undici, zod) are theirs and harmless.
    if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return
    if (warning.code === 'THIS_IS_UNDEFINED') return
    // Dependencies' pure-annotations that Rollup cannot place; harmless.
    if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return
    // Bottleneck's optional Redis clustering, which the action never enables.
    if (warning.code === 'EVAL' && warning.id?.includes('node_modules/bottleneck')) return
    warn(warning)
  }
})

export default [bundle('src/index.ts', 'dist/index.js'), bundle('src/cli/index.ts', 'dist/cli.js')]
