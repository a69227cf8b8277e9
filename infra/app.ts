import { App } from 'aws-cdk-lib';
import { createCtvCloud } from './ctv-cloud';

// The CDK entry (cdk.json: "app"). Required context (infra/stage.ts):
//   -c stage=dev -c corsOrigins=https://app.example.vn,https://admin.example.vn
// optional: -c alarmEmail=ops@example.vn, -c edge=false, -c maxBusinessesPerAccount=3
const app = new App();
createCtvCloud(app);
app.synth();
