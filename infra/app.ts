import { App } from 'aws-cdk-lib';
import { createCtvCloud } from './ctv-cloud';

// The CDK entry (cdk.json: "app"). Context: -c corsOrigins=https://app.example.vn,https://admin.example.vn
const app = new App();
createCtvCloud(app);
app.synth();
