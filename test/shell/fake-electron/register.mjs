// `node --import ./register.mjs <script>` installs the electron stand-in before the script loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
